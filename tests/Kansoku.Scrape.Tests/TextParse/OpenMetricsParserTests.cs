using System.Text;
using Kansoku.Scrape.TextParse;

namespace Kansoku.Scrape.Tests.TextParse;

public sealed class OpenMetricsParserTests
{
    private static OpenMetricsParser Parser(string text, OpenMetricsChecks checks = OpenMetricsChecks.Conformance, bool skipCreated = false) =>
        new(Encoding.UTF8.GetBytes(text), checks, skipCreated);

    [Fact]
    public void Metadata_samples_timestamps_in_seconds_and_exemplars()
    {
        var parser = Parser("""
            # TYPE rpc_seconds histogram
            # UNIT rpc_seconds seconds
            # HELP rpc_seconds Latency with \"quotes\" and \\ and \n.
            rpc_seconds_bucket{le="0.5"} 1 1520879607.789 # {trace_id="abc"} 0.25 1520879607.5
            rpc_seconds_bucket{le="+Inf"} 2 1520879607.789
            rpc_seconds_count 2 1520879607.789
            rpc_seconds_sum 0.75 1520879607.789
            # EOF

            """);

        Assert.Equal(ExpositionEntry.Type, parser.Next());
        Assert.Equal(MetricType.Histogram, parser.Type);
        Assert.Equal(ExpositionEntry.Unit, parser.Next());
        Assert.Equal("seconds", Encoding.UTF8.GetString(parser.Unit));
        Assert.Equal(ExpositionEntry.Help, parser.Next());
        Assert.Equal("rpc_seconds", Encoding.UTF8.GetString(parser.MetricFamily));
        Assert.Equal("Latency with \"quotes\" and \\ and \n.", Encoding.UTF8.GetString(parser.HelpText));

        Assert.Equal(ExpositionEntry.Series, parser.Next());
        Assert.Equal("rpc_seconds_bucket{le=\"0.5\"}", Encoding.UTF8.GetString(parser.Series));
        Assert.Equal(1, parser.Value);
        Assert.Equal(1520879607789, parser.TimestampMs);
        Assert.True(parser.TryGetExemplar(out var exemplar));
        Assert.Equal("{trace_id=\"abc\"}", exemplar.Labels.ToString());
        Assert.Equal(0.25, exemplar.Value);
        Assert.Equal(1520879607500, exemplar.TimestampMs);
        Assert.Null(parser.CreatedTimestampMs);

        Assert.Equal(ExpositionEntry.Series, parser.Next());
        Assert.Equal("+Inf", parser.GetLabels().Get("le"));
        Assert.False(parser.TryGetExemplar(out _));
        Assert.Equal(ExpositionEntry.Series, parser.Next());
        Assert.Equal(ExpositionEntry.Series, parser.Next());
        Assert.Equal(ExpositionEntry.EndOfInput, parser.Next());
        Assert.Equal(ExpositionEntry.EndOfInput, parser.Next());
    }

    [Fact]
    public void Created_samples_give_the_created_timestamp_of_their_group_and_may_be_skipped()
    {
        const string text = """
            # TYPE c counter
            c_total{a="1"} 5
            c_created{a="1"} 1600000000.25
            c_total{a="2"} 7
            # TYPE g gauge
            g 1
            # EOF

            """;
        var samples = ParserDriver.ReadAll(Parser(text));
        var skipped = ParserDriver.ReadAll(Parser(text, skipCreated: true));

        Assert.Equal([1600000000250L, 1600000000250L, null, null], samples.Select(s => s.CreatedMs));
        Assert.Equal(["c_total{a=\"1\"}", "c_total{a=\"2\"}", "g"], skipped.Select(s => s.Series));
        Assert.Equal([1600000000250L, null, null], skipped.Select(s => s.CreatedMs));
    }

    [Theory]
    [InlineData("# TYPE a counter\na_total -1\n# EOF\n")]
    [InlineData("# TYPE a histogram\na_bucket{le=\"-1\"} 0\na_bucket{le=\"+Inf\"} 1\na_count 1\na_sum -3\n# EOF\n")]
    [InlineData("# TYPE a gauge\na{x=\"1\"} 1\na{x=\"2\"} 1\na{x=\"1\"} 1\n# EOF\n")]
    [InlineData("# TYPE a info\na_info 2\n# EOF\n")]
    public void Prometheus_checks_accept_what_only_the_family_rules_refuse(string text)
    {
        Assert.NotEmpty(ParserDriver.ReadOpenMetrics(text, OpenMetricsChecks.Prometheus));
        Assert.Throws<ExpositionFormatException>(() => ParserDriver.ReadOpenMetrics(text, OpenMetricsChecks.Conformance));
    }

    [Theory]
    [InlineData("a 1\n", 2, 1, "missing # EOF")]
    [InlineData("a 1\n\n# EOF\n", 2, 1, "blank line")]
    [InlineData("a 1\n# EOF\n\n", 3, 1, "after # EOF")]
    [InlineData("a  1\n# EOF\n", 1, 3, "expected a value")]
    [InlineData("a 1 \n# EOF\n", 1, 5, "expected a timestamp")]
    [InlineData("a{b=\"c\" } 1\n# EOF\n", 1, 8, "expected ',' or '}'")]
    [InlineData("a{b=\"c\",} 1\n# EOF\n", 1, 9, "trailing comma")]
    [InlineData("a 1 NaN\n# EOF\n", 1, 5, "invalid timestamp")]
    [InlineData("# comment\n# EOF\n", 1, 1, "expected '# HELP'")]
    [InlineData("# TYPE a untyped\n# EOF\n", 1, 10, "invalid metric type")]
    [InlineData("# TYPE a gauge\n# TYPE a gauge\n# EOF\n", 2, 1, "second TYPE")]
    [InlineData("a 1 # {b=\"c\"} 1\n# EOF\n", 1, 1, "exemplars")]
    [InlineData("# TYPE a counter\na_total 1 # {b=\"c\"}1\n# EOF\n", 2, 20, "blank before the exemplar value")]
    public void Faults_name_their_line_and_column(string text, int line, int column, string message)
    {
        var error = Assert.Throws<ExpositionFormatException>(() => ParserDriver.ReadOpenMetrics(text));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal((line, column), (error.Line, error.Column));
    }

    [Fact]
    public void The_scrape_default_is_Prometheus_acceptance_and_text_is_the_fallback()
    {
        var negativeCounter = "# TYPE a counter\na_total -1\n# EOF\n"u8.ToArray();

        Assert.Single(ParserDriver.ReadAll(ExpositionFormats.CreateParser("application/openmetrics-text; version=1.0.0", negativeCounter)));
        Assert.IsType<OpenMetricsParser>(ExpositionFormats.CreateParser("Application/OpenMetrics-Text", negativeCounter));
        Assert.IsType<PrometheusTextParser>(ExpositionFormats.CreateParser("text/plain; version=0.0.4; charset=utf-8", negativeCounter));
        Assert.IsType<PrometheusTextParser>(ExpositionFormats.CreateParser(null, negativeCounter));
        Assert.IsType<PrometheusTextParser>(ExpositionFormats.CreateParser("application/json", negativeCounter));
    }

    [Fact]
    public void The_accept_header_prefers_OpenMetrics_then_text_then_anything_with_falling_weights()
    {
        var ranges = ExpositionFormats.AcceptHeader.Split(',');

        Assert.Equal(["application/openmetrics-text", "application/openmetrics-text", "text/plain", "text/plain", "*/*"],
            ranges.Select(r => r.Split(';')[0]));
        var weights = ranges.Select(r => double.Parse(r.Split(";q=")[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(weights.OrderDescending(), weights);
        Assert.Equal(weights.Count, weights.Distinct().Count());
        Assert.Equal("gzip", ExpositionFormats.AcceptEncodingHeader);
    }
}
