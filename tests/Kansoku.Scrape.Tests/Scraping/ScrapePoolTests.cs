using Kansoku.Core.Labels;
using Kansoku.Scrape.Scraping;
using Kansoku.Storage.Metrics;
using Kansoku.Testing;

namespace Kansoku.Scrape.Tests.Scraping;

public sealed class ScrapePoolTests
{
    [Fact]
    public async Task Targets_are_scraped_on_their_interval_and_go_stale_when_they_go_away()
    {
        await using var first = new MetricsEndpoint { Body = "a 1\n" };
        await using var second = new MetricsEndpoint { Body = "b 2\n" };
        var store = new RecordingStore();
        using var http = new HttpClient();
        var settings = new ScrapeSettings { Interval = TimeSpan.FromMilliseconds(200), Timeout = TimeSpan.FromMilliseconds(150) };
        ActiveTarget Target(MetricsEndpoint endpoint) =>
            new("pool", LabelSet.From(("job", "pool"), ("instance", endpoint.Url.Authority)), LabelSet.Empty, endpoint.Url, settings);
        await using var pool = new ScrapePool("pool", http, store, TimeProvider.System, offsetSeed: 7);

        await pool.SyncAsync([Target(first), Target(second)]);
        Assert.Equal(2, pool.ActiveTargets.Count);
        await Eventually.WaitUntilAsync(() => first.Requests >= 3 && second.Requests >= 3);

        await pool.SyncAsync([Target(first)]);
        var requestsAfterRemoval = second.Requests;
        var b = LabelSet.From(("job", "pool"), ("instance", second.Url.Authority), ("__name__", "b"));
        var up = b.With("__name__", "up");
        Assert.True(StaleMarker.Is(store.Last(b)));
        Assert.True(StaleMarker.Is(store.Last(up)));
        Assert.Single(pool.ActiveTargets);

        var firstRequests = first.Requests;
        await Eventually.WaitUntilAsync(() => first.Requests > firstRequests + 1);
        Assert.Equal(requestsAfterRemoval, second.Requests);
        var a = LabelSet.From(("job", "pool"), ("instance", first.Url.Authority), ("__name__", "a"));
        Assert.Equal(1, store.Last(a));
    }
}
