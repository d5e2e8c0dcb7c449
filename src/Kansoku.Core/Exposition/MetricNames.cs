namespace Kansoku.Core.Exposition;

/// <summary>Prometheus' legacy name rules: metric names <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>, label names without the colon.</summary>
internal static class MetricNames
{
    public static bool IsValidMetricName(ReadOnlySpan<char> name) => IsValid(name, allowColon: true);

    /// <summary>A label name; names starting with <c>__</c> are valid here, being reserved is the caller's concern.</summary>
    public static bool IsValidLabelName(ReadOnlySpan<char> name) => IsValid(name, allowColon: false);

    public static void ThrowIfInvalid(string name)
    {
        if (!IsValidMetricName(name))
        {
            throw new ArgumentException($"invalid metric name '{name}'", nameof(name));
        }
    }

    public static void ThrowIfInvalidLabel(string name)
    {
        if (!IsValidLabelName(name))
        {
            throw new ArgumentException($"invalid label name '{name}'", nameof(name));
        }
    }

    private static bool IsValid(ReadOnlySpan<char> name, bool allowColon)
    {
        if (name.IsEmpty)
        {
            return false;
        }
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' || (allowColon && c == ':') || (i > 0 && c is >= '0' and <= '9');
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }
}
