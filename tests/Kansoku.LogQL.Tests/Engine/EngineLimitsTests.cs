using Kansoku.LogQL.Engine;
using Kansoku.LogQL.Parser;
using Kansoku.Storage.Logs;

namespace Kansoku.LogQL.Tests.Engine;

/// <summary>Query limits, deadlines and the errors that name them; compile-time errors Loki raises while building pipelines.</summary>
public sealed class EngineLimitsTests
{
    private const long Second = 1_000_000_000;

    [Fact]
    public void Refuses_a_limit_above_the_entries_limit()
    {
        var engine = new LogQLEngine(Querier(), new LogQLEngineOptions { MaxEntriesLimitPerQuery = 10 });
        var error = Assert.Throws<LogQLEvaluationException>(() => engine.QueryRange("{app=\"a\"}", 0, 100 * Second, 0, LogDirection.Forward, 11));
        Assert.Equal(LogQLErrorKind.EntriesLimit, error.Kind);
        Assert.Equal("max entries limit per query exceeded, limit > max_entries_limit_per_query (11 > 10)", error.Message);
    }

    [Fact]
    public void Fails_an_instant_query_with_too_many_series()
    {
        var engine = new LogQLEngine(Querier(), new LogQLEngineOptions { MaxQuerySeries = 2 });
        var error = Assert.Throws<LogQLEvaluationException>(() => engine.QueryInstant("count_over_time({app=~\".+\"}[1m])", 60 * Second));
        Assert.Equal(LogQLErrorKind.SeriesLimit, error.Kind);
        Assert.StartsWith("maximum number of series (2) reached for a single query", error.Message, StringComparison.Ordinal);
        var result = Assert.IsType<VectorResult>(engine.QueryInstant("sum(count_over_time({app=~\".+\"}[1m]))", 60 * Second));
        Assert.Equal(3 * 59, Assert.Single(result.Samples).Value); // (0s, 60s] holds 1s..59s of each stream
    }

    [Fact]
    public void Fails_a_range_query_whose_series_appear_over_time()
    {
        var querier = new InMemoryLogQuerier();
        querier.Add("{app=\"a\"}", 10 * Second, "x").Add("{app=\"b\"}", 70 * Second, "x");
        var engine = new LogQLEngine(querier, new LogQLEngineOptions { MaxQuerySeries = 1 });
        var error = Assert.Throws<LogQLEvaluationException>(() =>
            engine.QueryRange("count_over_time({app=~\".+\"}[10s])", 0, 100 * Second, 10 * Second, LogDirection.Backward, 100));
        Assert.Equal(LogQLErrorKind.SeriesLimit, error.Kind);
        Assert.Equal(0, querier.OpenReaders);
    }

    [Fact]
    public void Refuses_too_many_steps_and_non_positive_steps()
    {
        var engine = new LogQLEngine(Querier());
        var tooMany = Assert.Throws<LogQLEvaluationException>(() =>
            engine.QueryRange("count_over_time({app=\"a\"}[1m])", 0, 11_000 * Second, Second, LogDirection.Backward, 100));
        Assert.Equal(LogQLErrorKind.Resolution, tooMany.Kind);
        Assert.Contains("exceeded maximum resolution of 11,000 points per timeseries", tooMany.Message, StringComparison.Ordinal);
        var zero = Assert.Throws<LogQLEvaluationException>(() =>
            engine.QueryRange("count_over_time({app=\"a\"}[1m])", 0, 10 * Second, 0, LogDirection.Backward, 100));
        Assert.Equal(LogQLErrorKind.Resolution, zero.Kind);
        Assert.IsType<MatrixResult>(engine.QueryRange("count_over_time({app=\"a\"}[1m])", 0, 10_999 * Second, Second, LogDirection.Backward, 100));
    }

    [Fact]
    public void Refuses_log_queries_as_instant_queries()
    {
        var error = Assert.Throws<LogQLEvaluationException>(() => new LogQLEngine(Querier()).QueryInstant("{app=\"a\"}", Second));
        Assert.Equal(LogQLErrorKind.Execution, error.Kind);
        Assert.Contains("log queries are not supported as an instant query type", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{app=\"a\"}")]
    [InlineData("count_over_time({app=\"a\"}[1m])")]
    public void Times_out_past_the_deadline_and_closes_the_readers(string query)
    {
        var querier = Querier();
        var clock = new FixedTimeProvider(DateTimeOffset.UnixEpoch) { ExpireTimers = true };
        var engine = new LogQLEngine(querier, new LogQLEngineOptions { QueryTimeout = TimeSpan.FromSeconds(3) }, clock);
        var error = Assert.Throws<LogQLEvaluationException>(() =>
            engine.QueryRange(query, 0, 60 * Second, 10 * Second, LogDirection.Forward, 5000));
        Assert.Equal(LogQLErrorKind.Timeout, error.Kind);
        Assert.Equal("query timed out after 3s: context deadline exceeded", error.Message);
        Assert.Equal(0, querier.OpenReaders);
    }

    [Fact]
    public void Stops_when_the_caller_cancels()
    {
        var querier = Querier();
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        Assert.Throws<OperationCanceledException>(() => new LogQLEngine(querier)
            .QueryRange("rate({app=\"a\"}[1m])", 0, 60 * Second, Second, LogDirection.Forward, 100, cancellationToken: cancellation.Token));
        Assert.Equal(0, querier.OpenReaders);
    }

    [Fact]
    public void Fails_a_metric_query_on_a_pipeline_error_with_lokis_message()
    {
        var querier = new InMemoryLogQuerier().Add("{app=\"a\"}", Second, "not json");
        var error = Assert.Throws<LogQLEvaluationException>(() =>
            new LogQLEngine(querier).QueryInstant("count_over_time({app=\"a\"} | json [1m])", 30 * Second));
        Assert.Equal(LogQLErrorKind.Pipeline, error.Kind);
        Assert.StartsWith(
            "pipeline error: 'JSONParserErr' for series: '{__error__=\"JSONParserErr\", __error_details__=\"Value looks like object, but can't find closing '}' symbol\", app=\"a\"}'.\n" +
            "Use a label filter to intentionally skip this error. (e.g | __error__!=\"JSONParserErr\").",
            error.Message, StringComparison.Ordinal);
        Assert.Equal(0, querier.OpenReaders);
    }

    [Theory]
    [InlineData("{app=\"a\"} |= ip(\"300.1.1.1\")", 10, "ip: invalid pattern: \"300.1.1.1\"")]
    [InlineData("{app=\"a\"} | logfmt | addr = ip(\"nope\")", 21, "ip: invalid pattern: \"nope\"")]
    [InlineData("{app=\"a\"} | line_format \"{{ .a \"", 10, "invalid line template: template: line:1: unclosed action")]
    [InlineData("{app=\"a\"} | label_format b=\"{{ nope }}\"", 10, "invalid template for label 'b': template: label:1: function \"nope\" not defined")]
    [InlineData("{app=\"a\"} | json bad=\"user[\"", 10, "cannot parse expression [user[]: syntax error: unexpected end of input")]
    public void Reports_pipeline_construction_errors_at_the_stage(string query, int offset, string reason)
    {
        var error = Assert.Throws<LogQLParseException>(() => new LogQLEngine(Querier()).QueryRange(query, 0, Second, 0, LogDirection.Forward, 10));
        Assert.Equal(reason, error.Reason);
        Assert.Equal(offset, error.Offset);
    }

    private static InMemoryLogQuerier Querier()
    {
        var querier = new InMemoryLogQuerier();
        for (var i = 0; i < 60; i++)
        {
            querier.Add("{app=\"a\"}", i * Second, $"a {i}");
            querier.Add("{app=\"b\"}", i * Second, $"b {i}");
            querier.Add("{app=\"c\"}", i * Second, $"c {i}");
        }
        return querier;
    }
}
