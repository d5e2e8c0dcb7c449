namespace Kansoku.Agent.Config;

/// <summary>Fluent Bit's section names, shared by the classic loader, its messages and the printer.</summary>
internal static class SectionNames
{
    private static readonly Dictionary<string, ComponentKind> s_kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["SERVICE"] = ComponentKind.Service,
        ["INPUT"] = ComponentKind.Input,
        ["INPUTS"] = ComponentKind.Input,
        ["FILTER"] = ComponentKind.Filter,
        ["FILTERS"] = ComponentKind.Filter,
        ["OUTPUT"] = ComponentKind.Output,
        ["OUTPUTS"] = ComponentKind.Output,
        ["PARSER"] = ComponentKind.Parser,
        ["MULTILINE_PARSER"] = ComponentKind.MultilineParser,
    };

    /// <summary>Sections Fluent Bit knows that configure features Kansoku does not have: skipped with a warning, not an error,
    /// so a Fluent Bit configuration that uses them still starts.</summary>
    private static readonly HashSet<string> s_unsupported = new(StringComparer.OrdinalIgnoreCase)
    {
        "CUSTOM", "CUSTOMS", "PLUGINS", "UPSTREAM", "UPSTREAM_SERVERS", "NODE", "STREAM_PROCESSOR", "STREAM_TASK",
    };

    public static bool TryGetKind(string name, out ComponentKind kind) => s_kinds.TryGetValue(name, out kind);

    public static bool IsUnsupported(string name) => s_unsupported.Contains(name);

    public static string Of(ComponentKind kind) => kind switch
    {
        ComponentKind.Service => "SERVICE",
        ComponentKind.Input => "INPUT",
        ComponentKind.Filter => "FILTER",
        ComponentKind.Output => "OUTPUT",
        ComponentKind.Parser => "PARSER",
        _ => "MULTILINE_PARSER",
    };
}
