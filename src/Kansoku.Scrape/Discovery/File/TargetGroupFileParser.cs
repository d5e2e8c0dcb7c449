using System.Text.Json;
using Kansoku.Core.Labels;
using YamlDotNet.RepresentationModel;

namespace Kansoku.Scrape.Discovery.File;

/// <summary>
/// Reads a file_sd file: a JSON or YAML list of <c>{targets: [host:port…], labels: {name: value}}</c>. Each group's
/// source is <c>path:index</c> and it gets <c>__meta_filepath</c>, as in Prometheus.
/// </summary>
internal static class TargetGroupFileParser
{
    public const string FilePathLabel = "__meta_filepath";

    /// <exception cref="FormatException">The file is not a list of target groups.</exception>
    public static List<TargetGroup> Parse(string path, string content)
    {
        var groups = new List<TargetGroup>();
        var isJson = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
        foreach (var (targets, labels) in isJson ? ReadJson(content) : ReadYaml(content))
        {
            var labelList = new List<Label> { new(FilePathLabel, path) };
            foreach (var (name, value) in labels)
            {
                if (!LabelNames.IsValid(name))
                {
                    throw new FormatException($"\"{name}\" is not a valid label name");
                }
                labelList.Add(new Label(name, value));
            }
            var targetSets = new List<LabelSet>(targets.Count);
            foreach (var target in targets)
            {
                targetSets.Add(LabelSet.From((TargetLabels.Address, target)));
            }
            groups.Add(new TargetGroup($"{path}:{groups.Count}", targetSets, LabelSet.From(labelList)));
        }
        return groups;
    }

    private static List<(List<string> Targets, List<(string, string)> Labels)> ReadJson(string content)
    {
        var groups = new List<(List<string>, List<(string, string)>)>();
        try
        {
            using var document = JsonDocument.Parse(content);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("expected a JSON list of target groups");
            }
            foreach (var item in document.RootElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object)
                {
                    throw new FormatException("nil target group item found");
                }
                var targets = new List<string>();
                var labels = new List<(string, string)>();
                foreach (var property in item.EnumerateObject())
                {
                    switch (property.Name)
                    {
                        case "targets":
                            foreach (var target in property.Value.EnumerateArray())
                            {
                                targets.Add(target.GetString() ?? "");
                            }
                            break;
                        case "labels":
                            foreach (var label in property.Value.EnumerateObject())
                            {
                                labels.Add((label.Name, label.Value.GetString() ?? ""));
                            }
                            break;
                        default:
                            throw new FormatException($"unknown field {property.Name} in a target group");
                    }
                }
                groups.Add((targets, labels));
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new FormatException(e.Message, e);
        }
        return groups;
    }

    private static List<(List<string> Targets, List<(string, string)> Labels)> ReadYaml(string content)
    {
        var groups = new List<(List<string>, List<(string, string)>)>();
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(content));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new FormatException($"line {e.Start.Line}: {e.Message}", e);
        }
        if (stream.Documents.Count == 0)
        {
            return groups;
        }
        if (stream.Documents[0].RootNode is not YamlSequenceNode list)
        {
            throw new FormatException("expected a YAML list of target groups");
        }
        foreach (var item in list.Children)
        {
            if (item is not YamlMappingNode mapping)
            {
                throw new FormatException($"line {item.Start.Line}: nil target group item found");
            }
            var targets = new List<string>();
            var labels = new List<(string, string)>();
            foreach (var (key, value) in mapping.Children)
            {
                switch ((key as YamlScalarNode)?.Value)
                {
                    case "targets" when value is YamlSequenceNode targetNodes:
                        foreach (var target in targetNodes.Children)
                        {
                            targets.Add((target as YamlScalarNode)?.Value ?? throw new FormatException($"line {target.Start.Line}: a target must be a string"));
                        }
                        break;
                    case "labels" when value is YamlMappingNode labelNodes:
                        foreach (var (name, labelValue) in labelNodes.Children)
                        {
                            labels.Add(((name as YamlScalarNode)?.Value ?? "", (labelValue as YamlScalarNode)?.Value ?? ""));
                        }
                        break;
                    default:
                        throw new FormatException($"line {key.Start.Line}: unexpected field {key} in a target group");
                }
            }
            groups.Add((targets, labels));
        }
        return groups;
    }
}
