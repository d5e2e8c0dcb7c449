using System.Globalization;

namespace Kansoku.Cli.Tests;

/// <summary>Reads samples from a Prometheus text exposition.</summary>
internal static class PrometheusText
{
    /// <summary>The value of the sample written exactly as <paramref name="series"/> (name and labels), or null.</summary>
    public static double? Value(string exposition, string series)
    {
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith(series, StringComparison.Ordinal) && line.Length > series.Length && line[series.Length] == ' ')
            {
                return double.Parse(line.AsSpan(series.Length + 1), NumberStyles.Float, CultureInfo.InvariantCulture);
            }
        }
        return null;
    }
}
