using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Kubernetes;

/// <summary>
/// The pod annotations that steer logging (Fluent Bit's K8S-Logging.Parser / K8S-Logging.Exclude), in Fluent Bit's
/// documented forms <c>fluentbit.io/parser[_stream][-container]</c> and <c>fluentbit.io/exclude[_stream][-container]</c>,
/// and the same under Kansoku's <c>kansoku.io/</c> prefix, which wins when both are set.
/// </summary>
internal static class KubernetesAnnotations
{
    public const string KansokuPrefix = "kansoku.io/";
    public const string FluentBitPrefix = "fluentbit.io/";

    private static readonly string[] s_prefixes = [KansokuPrefix, FluentBitPrefix];

    /// <summary>
    /// The parser a pod asks for its container's <paramref name="stream"/>, most specific form first
    /// (<c>parser_stdout-app</c>, <c>parser-app</c>, <c>parser_stdout</c>, <c>parser</c>); null when none.
    /// </summary>
    public static string? PodParserAnnotation(KubernetesMetadata metadata, string container, LogStream stream = LogStream.Unknown)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var value = Find(metadata.Annotations, "parser", container, stream);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>True when the pod asks for its container's logs (of <paramref name="stream"/>) to be dropped.</summary>
    public static bool IsExcluded(KubernetesMetadata metadata, string container, LogStream stream = LogStream.Unknown)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var value = Find(metadata.Annotations, "exclude", container, stream);
        return value is not null && value.Trim().ToLowerInvariant() is "true" or "on" or "yes" or "1";
    }

    /// <summary>True for annotations this class reads: kept even when the Annotations option drops the rest.</summary>
    public static bool IsLoggingControl(string annotationKey) =>
        annotationKey.StartsWith(KansokuPrefix + "parser", StringComparison.Ordinal)
        || annotationKey.StartsWith(KansokuPrefix + "exclude", StringComparison.Ordinal)
        || annotationKey.StartsWith(FluentBitPrefix + "parser", StringComparison.Ordinal)
        || annotationKey.StartsWith(FluentBitPrefix + "exclude", StringComparison.Ordinal);

    private static string? Find(IReadOnlyDictionary<string, string> annotations, string verb, string container, LogStream stream)
    {
        if (annotations.Count == 0)
        {
            return null;
        }
        var streamName = stream switch
        {
            LogStream.Stdout => "stdout",
            LogStream.Stderr => "stderr",
            _ => null,
        };
        foreach (var prefix in s_prefixes)
        {
            if ((streamName is not null && annotations.TryGetValue($"{prefix}{verb}_{streamName}-{container}", out var value))
                || annotations.TryGetValue($"{prefix}{verb}-{container}", out value)
                || (streamName is not null && annotations.TryGetValue($"{prefix}{verb}_{streamName}", out value))
                || annotations.TryGetValue(prefix + verb, out value))
            {
                return value;
            }
        }
        return null;
    }
}
