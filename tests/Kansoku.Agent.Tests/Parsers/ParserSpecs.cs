using Kansoku.Agent.Config;
using Kansoku.Agent.Parsers;
using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Tests.Parsers;

/// <summary>Builds parser specs for tests: from key/value pairs or from a Fluent Bit parsers file's [PARSER] sections.</summary>
internal static class ParserSpecs
{
    public static ComponentSpec Spec(params (string Key, string Value)[] properties) =>
        Spec(ComponentKind.Parser, properties);

    public static ComponentSpec Spec(ComponentKind kind, params (string Key, string Value)[] properties)
    {
        var spec = new ComponentSpec(kind, kind == ComponentKind.Parser ? "parser" : "multiline_parser", new SourceLocation("test.conf", 1, 0));
        var line = 2;
        foreach (var (key, value) in properties)
        {
            spec.Add(key, value, new SourceLocation("test.conf", line++, 5));
        }
        return spec;
    }

    /// <summary>A minimal reading of the classic format: enough for parsers.conf, not the agent's loader.</summary>
    public static Dictionary<string, ComponentSpec> LoadParsersFile(string path)
    {
        var specs = new Dictionary<string, ComponentSpec>(StringComparer.OrdinalIgnoreCase);
        ComponentSpec? current = null;
        var lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            if (line.StartsWith('['))
            {
                current = line.Equals("[PARSER]", StringComparison.OrdinalIgnoreCase)
                    ? new ComponentSpec(ComponentKind.Parser, "parser", new SourceLocation(path, lineNumber, 1))
                    : null;
                continue;
            }
            if (current is null)
            {
                continue;
            }
            var space = line.IndexOfAny([' ', '\t']);
            var key = line[..space];
            var value = line[space..].Trim();
            current.Add(key, value, new SourceLocation(path, lineNumber, raw.IndexOf(key, StringComparison.Ordinal) + 1));
            if (key.Equals("Name", StringComparison.OrdinalIgnoreCase))
            {
                specs[value] = current;
            }
        }
        return specs;
    }

    public static LogRecord Record(string content, long time = 42) => new()
    {
        Content = System.Text.Encoding.UTF8.GetBytes(content),
        TimeUnixNano = time,
        Stream = LogStream.Stdout,
    };

    public static string Fields(LogRecord record)
    {
        Assert.True(record.TryGetRawFields(out var raw));
        return System.Text.Encoding.UTF8.GetString(raw.Span);
    }

    public static IContentParser Create(params (string Key, string Value)[] properties) => ParserFactory.Create(Spec(properties));
}
