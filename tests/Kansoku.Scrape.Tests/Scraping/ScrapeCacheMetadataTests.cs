using Kansoku.Scrape.Scraping;
using Kansoku.Scrape.TextParse;
using Kansoku.Testing;
using Xunit.Abstractions;

namespace Kansoku.Scrape.Tests.Scraping;

/// <summary>A target's metadata list is built again only when what it announced changed, not after every scrape.</summary>
public sealed class ScrapeCacheMetadataTests(ITestOutputHelper output)
{
    /// <summary>What the scrape loop does with a body's lines, less the samples.</summary>
    private static void Announce(ScrapeCache cache, byte[] body)
    {
        var parser = new PrometheusTextParser(body);
        cache.BeginScrape();
        ExpositionEntry entry;
        while ((entry = parser.Next()) != ExpositionEntry.EndOfInput)
        {
            cache.Announce(entry, parser);
        }
        cache.EndScrape(succeeded: true);
    }

    private static (IReadOnlyList<MetricMetadata> Snapshot, long Allocated) Snapshot(ScrapeCache cache)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var snapshot = cache.MetadataSnapshot();
        return (snapshot, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void An_unchanged_scrape_keeps_the_snapshot_and_allocates_nothing_for_it()
    {
        var body = File.ReadAllBytes(RepositoryPaths.Shared("conformance", "textparse", "alltypes.237mfs.prom.txt"));
        var cache = new ScrapeCache();
        Announce(cache, body);
        var (first, firstAllocated) = Snapshot(cache);
        Assert.NotEmpty(first);

        Announce(cache, body);
        var (second, secondAllocated) = Snapshot(cache);

        output.WriteLine($"metadata snapshot per scrape of {first.Count} families: {firstAllocated} bytes before, {secondAllocated} bytes now");
        Assert.Same(first, second);
        Assert.Equal(0, secondAllocated);
        Assert.True(firstAllocated > first.Count * 32, $"the first snapshot allocated only {firstAllocated} bytes");
    }

    [Theory]
    [InlineData("# HELP up Whether the target answered, now with other words.\n# TYPE up gauge\nup 1\n")]
    [InlineData("# HELP up Whether the target answered.\n# TYPE up counter\nup 1\n")]
    [InlineData("# HELP up Whether the target answered.\n# TYPE up gauge\n# HELP down The opposite.\nup 1\n")]
    public void A_changed_help_type_or_new_family_gives_a_new_snapshot(string changed)
    {
        var cache = new ScrapeCache();
        Announce(cache, "# HELP up Whether the target answered.\n# TYPE up gauge\nup 1\n"u8.ToArray());
        var before = cache.MetadataSnapshot();

        Announce(cache, System.Text.Encoding.UTF8.GetBytes(changed));
        var after = cache.MetadataSnapshot();

        Assert.NotSame(before, after);
        Assert.NotEqual(before, after);
        Assert.Contains(after, m => !before.Contains(m));
        Assert.Same(after, cache.MetadataSnapshot());
    }
}
