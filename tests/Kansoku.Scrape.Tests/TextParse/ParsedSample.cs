using Kansoku.Core.Labels;
using Kansoku.Scrape.TextParse;

namespace Kansoku.Scrape.Tests.TextParse;

/// <summary>One series entry as a test sees it.</summary>
internal sealed record ParsedSample(LabelSet Labels, double Value, long? TimestampMs, long? CreatedMs, Exemplar? Exemplar, string Series);

internal static class ParserDriver
{
    /// <summary>Reads every entry, asking for everything a scrape loop may ask for; throws what the parser throws.</summary>
    public static List<ParsedSample> ReadAll(IExpositionParser parser, int? maxEntries = null)
    {
        var samples = new List<ParsedSample>();
        var entries = 0;
        while (true)
        {
            var entry = parser.Next();
            if (maxEntries is { } max && ++entries > max)
            {
                throw new InvalidOperationException($"more than {max} entries: the parser does not advance");
            }
            switch (entry)
            {
                case ExpositionEntry.EndOfInput:
                    return samples;
                case ExpositionEntry.Help:
                    _ = parser.MetricFamily.Length + parser.HelpText.Length;
                    break;
                case ExpositionEntry.Type:
                    _ = parser.MetricFamily.Length + (int)parser.Type;
                    break;
                case ExpositionEntry.Unit:
                    _ = parser.MetricFamily.Length + parser.Unit.Length;
                    break;
                case ExpositionEntry.Series:
                    var created = parser.CreatedTimestampMs;
                    Exemplar? exemplar = parser.TryGetExemplar(out var found) ? found : null;
                    samples.Add(new ParsedSample(parser.GetLabels(), parser.Value, parser.TimestampMs, created, exemplar,
                        System.Text.Encoding.UTF8.GetString(parser.Series)));
                    break;
            }
        }
    }

    public static List<ParsedSample> ReadText(string text) =>
        ReadAll(new PrometheusTextParser(System.Text.Encoding.UTF8.GetBytes(text)));

    public static List<ParsedSample> ReadOpenMetrics(string text, OpenMetricsChecks checks = OpenMetricsChecks.Conformance) =>
        ReadAll(new OpenMetricsParser(System.Text.Encoding.UTF8.GetBytes(text), checks));
}
