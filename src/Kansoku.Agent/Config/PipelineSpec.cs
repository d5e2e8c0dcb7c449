namespace Kansoku.Agent.Config;

/// <summary>A whole agent configuration as loaded, before components are built.</summary>
internal sealed class PipelineSpec
{
    public PipelineSpec(ComponentSpec service)
    {
        Service = service;
    }

    /// <summary>The [SERVICE] section (Flush, Log_Level, HTTP_Server, HTTP_Port, storage.path…).</summary>
    public ComponentSpec Service { get; }

    public List<ComponentSpec> Inputs { get; } = [];
    public List<ComponentSpec> Filters { get; } = [];
    public List<ComponentSpec> Outputs { get; } = [];

    /// <summary>[PARSER] sections by name (case-insensitive), from Parsers_File and inline definitions.</summary>
    public Dictionary<string, ComponentSpec> Parsers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>[MULTILINE_PARSER] sections by name.</summary>
    public Dictionary<string, ComponentSpec> MultilineParsers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Things worth telling the user that do not stop the agent (unknown keys, ignored plugins).</summary>
    public List<ConfigWarning> Warnings { get; } = [];
}

internal sealed record ConfigWarning(SourceLocation Location, string Message)
{
    public override string ToString() => $"{Location}: warning: {Message}";
}
