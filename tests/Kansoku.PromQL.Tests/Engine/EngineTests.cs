using Kansoku.Core.Labels;
using Kansoku.PromQL.Engine;
using Kansoku.PromQL.Parser;
using Kansoku.PromQL.Tests.Conformance;

namespace Kansoku.PromQL.Tests.Engine;

/// <summary>Engine behaviour the conformance files do not pin: window closure option, limits, cancellation.</summary>
public sealed class EngineTests
{
    private static readonly LabelSet Series = LabelSet.From(("__name__", "requests_total"), ("job", "api"));

    /// <summary>One sample a minute from 0 to 10m, value 10 per minute.</summary>
    private static InMemorySampleStore Store()
    {
        var store = new InMemorySampleStore();
        for (var minute = 0; minute <= 10; minute++)
        {
            store.Add(Series, minute * 60_000L, minute * 10);
        }
        return store;
    }

    private static QueryResult Instant(InMemorySampleStore store, string query, long timeMs, EngineOptions? options = null, CancellationToken cancellation = default) =>
        new PromQLEngine(store, options ?? new EngineOptions()).Instant(PromQLParser.Parse(query), query, timeMs, cancellation);

    [Fact]
    public void Left_open_windows_leave_out_the_sample_at_the_window_start_and_closed_windows_keep_it()
    {
        var store = Store();
        var open = (VectorValue)Instant(store, "count_over_time(requests_total[2m])", 300_000).Value;
        var closed = (VectorValue)Instant(store, "count_over_time(requests_total[2m])", 300_000, new EngineOptions { ClosedWindows = true }).Value;
        Assert.Equal(2, open.Samples[0].Value);
        Assert.Equal(3, closed.Samples[0].Value);
    }

    [Fact]
    public void An_instant_vector_is_stamped_with_the_evaluation_time_and_timestamp_reads_the_sample_s_own()
    {
        var store = Store();
        var selected = Assert.Single(((VectorValue)Instant(store, "requests_total", 330_000).Value).Samples);
        var stamped = Assert.Single(((VectorValue)Instant(store, "timestamp(requests_total)", 330_000).Value).Samples);
        Assert.Equal((330_000L, 50.0), (selected.TimestampMs, selected.Value));
        Assert.Equal((330_000L, 300.0), (stamped.TimestampMs, stamped.Value));
    }

    [Fact]
    public void Lookback_ends_where_the_sample_falls_out_of_the_delta()
    {
        var store = Store();
        Assert.Single(((VectorValue)Instant(store, "requests_total", 600_000 + 299_999).Value).Samples);
        Assert.Empty(((VectorValue)Instant(store, "requests_total", 600_000 + 300_000).Value).Samples);
    }

    [Fact]
    public void Rate_of_a_steady_counter_is_its_slope_and_drops_the_name()
    {
        var sample = Assert.Single(((VectorValue)Instant(Store(), "rate(requests_total[5m])", 600_000).Value).Samples);
        Assert.Equal(10.0 / 60, sample.Value, 12);
        Assert.False(sample.Metric.Has("__name__"));
    }

    [Fact]
    public void Rate_of_a_name_without_counter_suffix_adds_Prometheus_info()
    {
        var store = new InMemorySampleStore();
        store.Add(LabelSet.From(("__name__", "temperature")), 0, 1);
        store.Add(LabelSet.From(("__name__", "temperature")), 60_000, 2);
        var result = Instant(store, "rate(temperature[5m])", 60_000);
        Assert.Equal(
            "PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \"temperature\" (1:6)",
            Assert.Single(result.Infos));
    }

    [Fact]
    public void Too_many_samples_fail_with_Prometheus_message()
    {
        var error = Assert.Throws<QueryException>(() =>
            Instant(Store(), "count_over_time(requests_total[10m])", 600_000, new EngineOptions { MaxSamples = 5 }));
        Assert.Equal("query processing would load too many samples into memory in query execution", error.Message);
    }

    [Fact]
    public void A_cancelled_caller_token_cancels_and_an_expired_timeout_reports_a_timeout()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Instant(Store(), "requests_total", 0, cancellation: cancelled.Token));
        // Five million steps take far longer than the 20 ms allowed.
        const string query = "requests_total";
        var engine = new PromQLEngine(Store(), new EngineOptions { Timeout = TimeSpan.FromMilliseconds(20) });
        var timeout = Assert.Throws<QueryException>(() => engine.Range(PromQLParser.Parse(query), query, 0, 5_000_000_000, 1000));
        Assert.Equal("query timed out in query execution", timeout.Message);
    }

    [Fact]
    public void Range_queries_give_one_point_per_step()
    {
        const string query = "requests_total * 2";
        var engine = new PromQLEngine(Store(), new EngineOptions());
        var matrix = (MatrixValue)engine.Range(PromQLParser.Parse(query), query, 0, 600_000, 120_000).Value;
        var series = Assert.Single(matrix.Series);
        Assert.Equal([0, 40, 80, 120, 160, 200], series.Points.Select(p => p.Value));
    }
}
