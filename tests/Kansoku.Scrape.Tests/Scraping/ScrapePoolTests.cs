using Kansoku.Core.Labels;
using Kansoku.Scrape.Scraping;
using Kansoku.Storage.Metrics;
using Kansoku.Testing;

namespace Kansoku.Scrape.Tests.Scraping;

public sealed class ScrapePoolTests
{
    private static readonly ScrapeSettings Settings = new() { Interval = TimeSpan.FromMilliseconds(200), Timeout = TimeSpan.FromMilliseconds(150) };

    private static ActiveTarget Target(MetricsEndpoint endpoint) =>
        new("pool", LabelSet.From(("job", "pool"), ("instance", endpoint.Url.Authority)), LabelSet.Empty, endpoint.Url, Settings);

    private static LabelSet Series(MetricsEndpoint endpoint, string name) =>
        LabelSet.From(("job", "pool"), ("instance", endpoint.Url.Authority), ("__name__", name));

    [Fact]
    public async Task Targets_are_scraped_on_their_interval_and_go_stale_when_they_go_away()
    {
        await using var first = new MetricsEndpoint { Body = "a 1\n" };
        await using var second = new MetricsEndpoint { Body = "b 2\n" };
        var store = new RecordingStore();
        using var http = new HttpClient();
        await using var pool = new ScrapePool("pool", http, store, TimeProvider.System, offsetSeed: 7);

        await pool.SyncAsync([Target(first), Target(second)]);
        Assert.Equal(2, pool.ActiveTargets.Count);
        await Eventually.WaitUntilAsync(() => first.Requests >= 3 && second.Requests >= 3);

        await pool.SyncAsync([Target(first)]);
        var requestsAfterRemoval = second.Requests;
        var b = Series(second, "b");
        var up = Series(second, "up");
        Assert.True(StaleMarker.Is(store.Last(b)));
        Assert.True(StaleMarker.Is(store.Last(up)));
        Assert.Single(pool.ActiveTargets);

        var firstRequests = first.Requests;
        await Eventually.WaitUntilAsync(() => first.Requests > firstRequests + 1);
        Assert.Equal(requestsAfterRemoval, second.Requests);
        Assert.Equal(1, store.Last(Series(first, "a")));
    }

    [Fact]
    public async Task Past_target_limit_no_target_is_scraped_each_reports_the_error_and_the_pool_recovers_when_targets_drop()
    {
        await using var first = new MetricsEndpoint { Body = "a 1\n" };
        await using var second = new MetricsEndpoint { Body = "b 2\n" };
        var store = new RecordingStore();
        using var http = new HttpClient();
        await using var pool = new ScrapePool("pool", http, store, TimeProvider.System, offsetSeed: 7) { TargetLimit = 1 };

        await pool.SyncAsync([Target(first)]);
        await Eventually.WaitUntilAsync(() => first.Requests >= 1 && pool.ActiveTargets[0].Status.Health == TargetHealth.Up);
        Assert.Equal(1, store.Last(Series(first, "a")));
        Assert.Equal(0, pool.ExceededTargetLimitTotal);

        await pool.SyncAsync([Target(first), Target(second)]);
        Assert.Equal(1, pool.ExceededTargetLimitTotal);
        Assert.Equal(2, pool.ActiveTargets.Count);
        const string Expected = "target_limit exceeded (number of targets: 2, limit: 1)";
        await Eventually.WaitUntilAsync(() => pool.ActiveTargets.All(t => t.Status.LastError == Expected));
        var firstRequests = first.Requests;
        await Eventually.WaitUntilAsync(() => store.Samples(Series(second, "up")).Count >= 2 && store.Samples(Series(first, "up")).Count >= 3);
        Assert.All(pool.ActiveTargets, t => Assert.Equal(TargetHealth.Down, t.Status.Health));
        Assert.Equal(0, store.Last(Series(first, "up")));
        Assert.Equal(0, store.Last(Series(second, "up")));
        Assert.True(StaleMarker.Is(store.Last(Series(first, "a"))));
        Assert.Empty(store.SeriesNamed("b"));
        Assert.Equal(0, second.Requests);
        Assert.Equal(firstRequests, first.Requests);

        await pool.SyncAsync([Target(second)]);
        Assert.Equal(1, pool.ExceededTargetLimitTotal);
        await Eventually.WaitUntilAsync(() => second.Requests >= 1 && pool.ActiveTargets[0].Status.Health == TargetHealth.Up);
        Assert.Equal("", pool.ActiveTargets[0].Status.LastError);
        await Eventually.WaitUntilAsync(() => store.Samples(Series(second, "up")) is { Count: > 0 } up && up[^1].V == 1);
        Assert.Equal(2, store.Last(Series(second, "b")));
    }
}
