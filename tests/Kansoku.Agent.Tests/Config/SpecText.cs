using Kansoku.Agent.Config;

namespace Kansoku.Agent.Tests.Config;

/// <summary>A location-free text form of a specification, to compare what two loaders produced.</summary>
internal static class SpecText
{
    public static string Of(PipelineSpec spec, params string[] ignoredServiceKeys)
    {
        var lines = new List<string> { Component(spec.Service, ignoredServiceKeys) };
        lines.AddRange(spec.Inputs.Select(c => Component(c)));
        lines.AddRange(spec.Filters.Select(c => Component(c)));
        lines.AddRange(spec.Outputs.Select(c => Component(c)));
        lines.AddRange(spec.Parsers.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"parser {p.Key}: " + Component(p.Value)));
        lines.AddRange(spec.MultilineParsers.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"multiline {p.Key}: " + Component(p.Value)));
        return string.Join('\n', lines);
    }

    private static string Component(ComponentSpec component, params string[] ignoredKeys) =>
        $"{component.Kind} {component.Type} {{ " + string.Join("; ", component.Properties
            .Where(p => !ignoredKeys.Contains(p.Key, StringComparer.OrdinalIgnoreCase))
            .Select(p => $"{p.Key.ToLowerInvariant()}={p.Value}")) + " }";
}
