using System.Text;
using System.Text.Json;
using Kansoku.Agent.Outputs;

namespace Kansoku.Agent.Tests.Pipeline;

/// <summary>An output that keeps every record it accepts, parsed, for assertions.</summary>
internal sealed class CollectingOutput : IOutput
{
    private readonly Lock _lock = new();
    private readonly List<JsonElement> _records = [];

    public string Name => "collect";

    public int FailNextAccepts { get; set; }

    public List<JsonElement> Records
    {
        get
        {
            lock (_lock)
            {
                return [.. _records];
            }
        }
    }

    public List<string> Logs()
    {
        var logs = new List<string>();
        foreach (var record in Records)
        {
            logs.Add(record.GetProperty("log").GetString()!);
        }
        return logs;
    }

    public ValueTask AcceptAsync(ReadOnlyMemory<byte> ndjson, int recordCount, CancellationToken cancellationToken)
    {
        var text = Encoding.UTF8.GetString(ndjson.Span);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(recordCount, lines.Length);
        lock (_lock)
        {
            foreach (var line in lines)
            {
                _records.Add(JsonDocument.Parse(line).RootElement.Clone());
            }
        }
        return ValueTask.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<bool> DrainAsync(TimeSpan bound, CancellationToken cancellationToken) => Task.FromResult(true);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
