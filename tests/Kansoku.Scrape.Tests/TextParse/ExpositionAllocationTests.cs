using Kansoku.Scrape.TextParse;
using Kansoku.Testing;

namespace Kansoku.Scrape.Tests.TextParse;

/// <summary>Next() on series lines allocates nothing: everything it reads stays positions in the body.</summary>
public sealed class ExpositionAllocationTests
{
    private static long AllocatedWhileReading(IExpositionParser parser)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        long sink = 0;
        ExpositionEntry entry;
        while ((entry = parser.Next()) != ExpositionEntry.EndOfInput)
        {
            if (entry == ExpositionEntry.Series)
            {
                sink += parser.Series.Length + (parser.TimestampMs ?? 0) + (parser.CreatedTimestampMs ?? 0) + (long)parser.Value;
            }
            else if (entry == ExpositionEntry.Help)
            {
                sink += parser.HelpText.Length;
            }
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        GC.KeepAlive(sink);
        return allocated;
    }

    [Theory]
    [InlineData("alltypes.237mfs.prom.txt", false)]
    [InlineData("alltypes.5mfs.om.txt", true)]
    [InlineData("1histogram.om.txt", true)]
    public void Reading_a_body_allocates_nothing(string name, bool openMetrics)
    {
        var body = File.ReadAllBytes(RepositoryPaths.Shared("conformance", "textparse", name));
        IExpositionParser Create() => openMetrics ? new OpenMetricsParser(body, OpenMetricsChecks.Prometheus) : new PrometheusTextParser(body);
        AllocatedWhileReading(Create());

        Assert.Equal(0, AllocatedWhileReading(Create()));
    }
}
