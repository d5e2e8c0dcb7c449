namespace Kansoku.Core.Labels;

/// <summary>Label names with a meaning of their own in Prometheus' model.</summary>
public static class LabelNames
{
    /// <summary>The metric name, stored as a label.</summary>
    public const string MetricName = "__name__";

    public const string Job = "job";

    public const string Instance = "instance";

    /// <summary>The prefix of exposed labels renamed because the target sets a label of the same name.</summary>
    public const string ExportedPrefix = "exported_";

    /// <summary>Prometheus' legacy label-name rule, <c>[a-zA-Z_][a-zA-Z0-9_]*</c>, used wherever relabelling writes a name.</summary>
    public static bool IsValid(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty)
        {
            return false;
        }
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var valid = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' || (i > 0 && c is >= '0' and <= '9');
            if (!valid)
            {
                return false;
            }
        }
        return true;
    }
}
