using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kansoku.Core.Labels;
using Kansoku.Scrape.TextParse;

namespace Kansoku.Scrape.Tests.TextParse;

/// <summary>Generated families, written in either text format, parse back to the same labels, values and timestamps.</summary>
public sealed class ExpositionPropertyTests
{
    internal sealed record SeriesModel((string Name, string Value)[] Labels, double Value, long? TimestampSeconds);

    internal sealed record FamilyModel(string Name, string Help, SeriesModel[] Series);

    private static readonly Gen<string> s_labelName =
        from first in Gen.Elements("abcxyz_ABC".ToCharArray())
        from rest in Gen.Elements("abz09_Q".ToCharArray()).ArrayOf()
        select first + new string(rest);

    // Quotes, backslashes, line feeds, braces, commas, '#', blanks and non-ASCII: everything escaping must survive.
    private static readonly Gen<string> s_labelValue =
        Gen.Elements("a", "Z", "0", " ", "\"", "\\", "\n", "{", "}", ",", "#", " # ", "=", "é", "日本", "🙂", "\\n", "\t").ArrayOf()
            .Select(parts => string.Concat(parts));

    private static readonly Gen<double> s_value = Gen.OneOf(
        ArbMap.Default.GeneratorFor<double>(),
        Gen.Choose(-1000, 1000).Select(i => (double)i),
        Gen.Elements(double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.1, 1e-300, 1.7976931348623157e308, -0.0));

    private static readonly Gen<SeriesModel> s_series =
        from labels in Gen.Zip(s_labelName, s_labelValue).ArrayOf()
        from value in s_value
        from timestamp in Gen.OneOf(Gen.Constant<long?>(null), Gen.Choose(0, int.MaxValue).Select(t => (long?)t))
        select new SeriesModel(labels.DistinctBy(l => l.Item1).Select(l => (l.Item1, l.Item2)).ToArray(), value, timestamp);

    private static readonly Gen<FamilyModel[]> s_families =
        (from help in s_labelValue
         from series in s_series.NonEmptyListOf()
         select (help, series)).ListOf()
        .Select(families => families.Select((f, i) => new FamilyModel("family_" + i.ToString(CultureInfo.InvariantCulture), f.help,
            [.. f.series])).ToArray());

    private static string Escape(string value, bool quotes) =>
        (quotes ? value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
                : value.Replace("\\", "\\\\", StringComparison.Ordinal))
            .Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Write(FamilyModel[] families, bool openMetrics)
    {
        var text = new StringBuilder();
        foreach (var family in families)
        {
            text.Append("# HELP ").Append(family.Name).Append(' ').Append(Escape(family.Help, quotes: openMetrics)).Append('\n');
            text.Append("# TYPE ").Append(family.Name).Append(' ').Append(openMetrics ? "gauge" : "untyped").Append('\n');
            for (var i = 0; i < family.Series.Length; i++)
            {
                var series = family.Series[i];
                text.Append(family.Name).Append('{');
                // A distinct label per series keeps OpenMetrics' groups apart, whatever the generated labels are.
                text.Append("series_index=\"").Append(i.ToString(CultureInfo.InvariantCulture)).Append('"');
                foreach (var (name, value) in series.Labels.Where(l => l.Name != "series_index"))
                {
                    text.Append(',').Append(name).Append("=\"").Append(Escape(value, quotes: true)).Append('"');
                }
                text.Append("} ").Append(series.Value.ToString("R", CultureInfo.InvariantCulture));
                if (series.TimestampSeconds is { } seconds)
                {
                    text.Append(' ').Append((openMetrics ? seconds : seconds * 1000).ToString(CultureInfo.InvariantCulture));
                }
                text.Append('\n');
            }
        }
        if (openMetrics)
        {
            text.Append("# EOF\n");
        }
        return text.ToString();
    }

    private static bool RoundTrips(FamilyModel[] families, bool openMetrics)
    {
        var body = Encoding.UTF8.GetBytes(Write(families, openMetrics));
        IExpositionParser parser = openMetrics ? new OpenMetricsParser(body, OpenMetricsChecks.Conformance) : new PrometheusTextParser(body);
        foreach (var family in families)
        {
            if (parser.Next() != ExpositionEntry.Help || Encoding.UTF8.GetString(parser.MetricFamily) != family.Name
                || Encoding.UTF8.GetString(parser.HelpText) != family.Help)
            {
                return false;
            }
            if (parser.Next() != ExpositionEntry.Type)
            {
                return false;
            }
            for (var i = 0; i < family.Series.Length; i++)
            {
                var series = family.Series[i];
                if (parser.Next() != ExpositionEntry.Series)
                {
                    return false;
                }
                var expected = LabelSet.From([
                    new Label("__name__", family.Name),
                    new Label("series_index", i.ToString(CultureInfo.InvariantCulture)),
                    .. series.Labels.Where(l => l.Name != "series_index").Select(l => new Label(l.Name, l.Value))]);
                var sameValue = double.IsNaN(series.Value) ? double.IsNaN(parser.Value) : series.Value.Equals(parser.Value);
                if (!expected.Equals(parser.GetLabels()) || !sameValue || parser.TimestampMs != series.TimestampSeconds * 1000)
                {
                    return false;
                }
            }
        }
        return parser.Next() == ExpositionEntry.EndOfInput;
    }

    [Property(MaxTest = 200)]
    public Property Text_format_round_trips() => Prop.ForAll(s_families.ToArbitrary(), families => RoundTrips(families, openMetrics: false));

    [Property(MaxTest = 200)]
    public Property OpenMetrics_round_trips() => Prop.ForAll(s_families.ToArbitrary(), families => RoundTrips(families, openMetrics: true));

    [Property(MaxTest = 2000)]
    public bool Numbers_parse_to_what_the_runtime_parses(double value)
    {
        var text = value.ToString(value is > -1e15 and < 1e15 && value == Math.Floor(value) ? "F0" : "R", CultureInfo.InvariantCulture);
        if (!ExpositionSyntax.TryParseNumber(Encoding.ASCII.GetBytes(text), out var parsed))
        {
            return false;
        }
        return double.IsNaN(value) ? double.IsNaN(parsed) : BitConverter.DoubleToInt64Bits(value) == BitConverter.DoubleToInt64Bits(parsed)
            || (value == 0 && parsed == 0);
    }

    [Property(MaxTest = 2000)]
    public bool Short_decimals_take_the_fast_path_and_still_round_correctly(int mantissa, byte fraction)
    {
        var text = $"{mantissa}.{fraction % 100:D2}e{(fraction % 40) - 20}";
        var expected = double.Parse(text, CultureInfo.InvariantCulture);
        return ExpositionSyntax.TryParseNumber(Encoding.ASCII.GetBytes(text), out var parsed) && parsed.Equals(expected);
    }
}
