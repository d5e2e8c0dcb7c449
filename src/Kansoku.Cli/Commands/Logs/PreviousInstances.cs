using System.Text.Json;

namespace Kansoku.Cli.Commands.Logs;

/// <summary>
/// <c>--previous</c> over the server. Streams carry no restart count, but every agent record names its container
/// instance in <c>kubernetes.docker_id</c> (the container ID, new on each restart). Fed newest first, this keeps per
/// container the lines of the second ID it meets: the instance before the current one.
/// </summary>
internal sealed class PreviousInstances
{
    private readonly Dictionary<(string Namespace, string Pod, string Container), Instances> _containers = [];
    private readonly List<LogLine> _previous = [];

    /// <summary>Lines read that carried a container ID.</summary>
    public long WithId { get; private set; }

    public long Total { get; private set; }

    /// <summary>The previous instances' lines, newest first.</summary>
    public IReadOnlyList<LogLine> Lines => _previous;

    public void Add(in LogLine line)
    {
        Total++;
        var id = ContainerId(line.Line);
        if (id is null)
        {
            return;
        }
        WithId++;
        var key = (line.Labels.Get("namespace"), line.Labels.Get("pod"), line.Labels.Get("container"));
        if (!_containers.TryGetValue(key, out var instances))
        {
            _containers[key] = new Instances { Current = id };
            return;
        }
        if (instances.Older || string.Equals(id, instances.Current, StringComparison.Ordinal))
        {
            return;
        }
        if (instances.Previous is null)
        {
            instances.Previous = id;
        }
        else if (!string.Equals(id, instances.Previous, StringComparison.Ordinal))
        {
            // A third ID: everything from here back belongs to older instances.
            instances.Older = true;
            return;
        }
        _previous.Add(line);
    }

    /// <summary>The record's <c>kubernetes.docker_id</c>, or null.</summary>
    private static string? ContainerId(byte[] line)
    {
        if (line.Length < 2 || line[0] != (byte)'{')
        {
            return null;
        }
        try
        {
            var reader = new Utf8JsonReader(line);
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isKubernetes = reader.ValueTextEquals("kubernetes"u8);
                reader.Read();
                if (!isKubernetes || reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isId = reader.ValueTextEquals("docker_id"u8);
                    reader.Read();
                    if (isId && reader.TokenType == JsonTokenType.String)
                    {
                        return reader.GetString();
                    }
                    reader.Skip();
                }
                return null;
            }
        }
        catch (JsonException)
        {
            // Not a record.
        }
        return null;
    }

    private sealed class Instances
    {
        public required string Current { get; init; }
        public string? Previous { get; set; }
        public bool Older { get; set; }
    }
}
