using System.Globalization;
using System.Text;
using Kansoku.Scrape.TextParse;
using Kansoku.Testing;

namespace Kansoku.Scrape.Tests.TextParse;

/// <summary>Prometheus' textparse benchmark inputs (../shared/conformance/textparse): realistic bodies that must parse.</summary>
public sealed class TextParseInputsTests
{
    private static string Input(string name) => RepositoryPaths.Shared("conformance", "textparse", name);

    private static List<ParsedSample> Parse(string name)
    {
        var contentType = name.EndsWith(".om.txt", StringComparison.Ordinal)
            ? "application/openmetrics-text; version=1.0.0"
            : "text/plain; version=0.0.4";
        return ParserDriver.ReadAll(ExpositionFormats.CreateParser(contentType, File.ReadAllBytes(Input(name))));
    }

    /// <summary>The sample lines of a body, counted without the parser: lines that are neither comments nor blank.</summary>
    private static int SampleLines(string name) =>
        File.ReadAllLines(Input(name)).Count(line => line.Length > 0 && !line.StartsWith('#'));

    [Theory]
    [InlineData("alltypes.237mfs.prom.txt")]
    [InlineData("alltypes.237mfs.nometa.prom.txt")]
    [InlineData("alltypes.5mfs.om.txt")]
    [InlineData("1histogram.om.txt")]
    public void Input_parses_into_one_sample_per_sample_line(string name)
    {
        var samples = Parse(name);

        Assert.Equal(SampleLines(name), samples.Count);
        Assert.All(samples, sample => Assert.False(string.IsNullOrEmpty(sample.Labels.Get("__name__"))));
    }

    [Fact]
    public void The_conformance_checks_refuse_the_OpenMetrics_input_for_its_negative_bucket_histogram_with_a_sum()
    {
        var body = File.ReadAllBytes(Input("alltypes.5mfs.om.txt"));

        var error = Assert.Throws<ExpositionFormatException>(() =>
            ParserDriver.ReadAll(ExpositionFormats.CreateParser("application/openmetrics-text", body, OpenMetricsChecks.Conformance)));

        Assert.Contains("not negative", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("rpc_durations_histogram_seconds_sum -", File.ReadAllLines(Input("alltypes.5mfs.om.txt"))[error.Line - 1], StringComparison.Ordinal);
    }

    [Fact]
    public void Prom_and_nometa_variants_give_the_same_samples()
    {
        var withMetadata = Parse("alltypes.237mfs.prom.txt");
        var without = Parse("alltypes.237mfs.nometa.prom.txt");

        Assert.Equal(without.Select(s => (s.Series, s.Labels, s.Value, s.TimestampMs)), withMetadata.Select(s => (s.Series, s.Labels, s.Value, s.TimestampMs)));
    }

    [Fact]
    public void Text_format_le_and_quantile_values_stay_as_written_as_in_Prometheus_2()
    {
        var samples = Parse("alltypes.237mfs.prom.txt");

        Assert.All(samples, s => Assert.Contains(s.Labels.Get("quantile").Length == 0 ? "" : $"quantile=\"{s.Labels.Get("quantile")}\"", s.Series, StringComparison.Ordinal));
        Assert.All(samples, s => Assert.Contains(s.Labels.Get("le").Length == 0 ? "" : $"le=\"{s.Labels.Get("le")}\"", s.Series, StringComparison.Ordinal));
        Assert.Contains(samples, s => s.Labels.Get("quantile") == "0");
    }

    [Fact]
    public void OpenMetrics_input_gives_exemplars_and_created_timestamps_from_the_created_lines()
    {
        var lines = File.ReadAllLines(Input("alltypes.5mfs.om.txt"));
        var samples = Parse("alltypes.5mfs.om.txt");

        Assert.Equal(lines.Count(l => !l.StartsWith('#') && l.Contains(" # {", StringComparison.Ordinal)), samples.Count(s => s.Exemplar is not null));
        var createdLines = lines.Where(l => !l.StartsWith('#') && l.Split(' ')[0].Split('{')[0].EndsWith("_created", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(createdLines);
        foreach (var createdLine in createdLines)
        {
            var parts = createdLine.Split(' ');
            var expectedMs = (long)(double.Parse(parts[1], CultureInfo.InvariantCulture) * 1000);
            var family = parts[0].Split('{')[0][..^"_created".Length];
            var groupOfCreated = Group(samples.Single(s => s.Series == parts[0]).Labels);
            var members = samples.Where(s => IsMemberOf(family, s.Labels.Get("__name__")) && Group(s.Labels) == groupOfCreated).ToList();
            Assert.True(members.Count >= 2, createdLine);
            Assert.All(members, member => Assert.Equal(expectedMs, member.CreatedMs));
        }
    }

    private static bool IsMemberOf(string family, string name) =>
        name == family || (name.StartsWith(family + "_", StringComparison.Ordinal)
            && name[(family.Length + 1)..] is "total" or "created" or "bucket" or "count" or "sum");

    /// <summary>The labels that identify a group: all but the name, le and quantile.</summary>
    private static string Group(Kansoku.Core.Labels.LabelSet labels) =>
        string.Join(",", labels.AsSpan().ToArray().Where(l => l.Name is not ("__name__" or "le" or "quantile")).Select(l => l.Name + "=" + l.Value));

    [Fact]
    public void Histogram_series_of_one_label_set_share_its_created_timestamp_even_before_the_created_line()
    {
        var body = Encoding.UTF8.GetBytes("""
            # TYPE h histogram
            h_bucket{a="1",le="1"} 0
            h_bucket{a="1",le="+Inf"} 2
            h_count{a="1"} 2
            h_sum{a="1"} 3
            h_created{a="1"} 1.5
            h_bucket{a="2",le="+Inf"} 1
            h_count{a="2"} 1
            h_sum{a="2"} 1
            # EOF

            """);
        var samples = ParserDriver.ReadAll(new OpenMetricsParser(body, OpenMetricsChecks.Conformance));

        Assert.All(samples.Where(s => s.Labels.Get("a") == "1"), s => Assert.Equal(1500, s.CreatedMs));
        Assert.All(samples.Where(s => s.Labels.Get("a") == "2"), s => Assert.Null(s.CreatedMs));
    }
}
