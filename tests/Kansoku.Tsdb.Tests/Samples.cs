using Kansoku.Core.Labels;
using Kansoku.Storage.Metrics;

namespace Kansoku.Tsdb.Tests;

/// <summary>Reading query results back as plain lists.</summary>
internal static class Samples
{
    public static List<(long T, double V)> Read(ISeries series)
    {
        var iterator = series.Iterator();
        var samples = new List<(long, double)>();
        while (iterator.Next())
        {
            samples.Add((iterator.TimestampMs, iterator.Value));
        }
        return samples;
    }

    public static Dictionary<string, List<(long T, double V)>> ReadAll(ISampleQuerier querier, params LabelMatcher[] matchers)
    {
        var result = new Dictionary<string, List<(long, double)>>();
        foreach (var series in querier.Select(matchers))
        {
            result.Add(series.Labels.ToString(), Read(series));
        }
        return result;
    }

    public static LabelSet Series(string name, params (string Name, string Value)[] labels) =>
        LabelSet.From([("__name__", name), .. labels]);
}
