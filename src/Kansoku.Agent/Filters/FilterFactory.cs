using Kansoku.Agent.Config;
using Kansoku.Agent.Filters.Drop;
using Kansoku.Agent.Filters.Grep;
using Kansoku.Agent.Filters.Modify;
using Kansoku.Agent.Filters.Nest;
using Kansoku.Agent.Filters.RecordModifier;

namespace Kansoku.Agent.Filters;

/// <summary>Builds record filters from [FILTER] sections.</summary>
internal static class FilterFactory
{
    public static readonly IReadOnlyList<string> SupportedTypes = ["grep", "modify", "record_modifier", "nest", "drop", "kubernetes"];

    /// <summary>
    /// The filter for <paramref name="spec"/>; null for <c>kubernetes</c>, which is no record filter (metadata is
    /// attached per file through <see cref="Kubernetes.KubernetesFilterOptions"/>). Throws <see cref="ConfigException"/>
    /// for bad settings and for types this agent does not run.
    /// </summary>
    public static IRecordFilter? Create(ComponentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Type switch
        {
            "kubernetes" => null,
            "grep" => GrepFilter.From(spec),
            "modify" => ModifyFilter.From(spec),
            "record_modifier" => RecordModifierFilter.From(spec),
            "nest" => NestFilter.From(spec),
            "drop" => DropFilter.From(spec),
            "lua" => throw new ConfigException(spec.Location, "Name",
                "filter 'lua' is not supported: Kansoku runs no scripts; use grep, modify, record_modifier, nest or drop"),
            _ => throw new ConfigException(spec.Location, "Name",
                $"filter '{spec.Type}' is not supported (supported: {string.Join(", ", SupportedTypes)})"),
        };
    }
}
