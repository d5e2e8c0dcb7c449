using Kansoku.Core.Labels;

namespace Kansoku.Scrape.TextParse;

/// <summary>
/// A pull parser over one scrape body (Prometheus' <c>textparse.Parser</c>), for the text format 0.0.4 and OpenMetrics 1.0.
/// <see cref="Next"/> moves entry by entry; the span properties are valid until the next call. It works on the body's bytes
/// and allocates only in <see cref="GetLabels"/>, which a scrape cache calls once per new <see cref="Series"/>.
/// Malformed input throws <see cref="ExpositionFormatException"/> naming the line and column.
/// </summary>
public interface IExpositionParser
{
    /// <summary>The next entry; <see cref="ExpositionEntry.EndOfInput"/> at the end (and, for OpenMetrics, only after <c># EOF</c>).</summary>
    ExpositionEntry Next();

    /// <summary>For Help, Type and Unit: the metric family's name.</summary>
    ReadOnlySpan<byte> MetricFamily { get; }

    /// <summary>For Help: the text, unescaped.</summary>
    ReadOnlySpan<byte> HelpText { get; }

    /// <summary>For Type: the family's type.</summary>
    MetricType Type { get; }

    /// <summary>For Unit: the unit.</summary>
    ReadOnlySpan<byte> Unit { get; }

    /// <summary>
    /// For Series: the sample's name and labels exactly as written (<c>http_requests_total{code="200"}</c>), the key of a
    /// scrape cache: the same series written the same way gives the same bytes.
    /// </summary>
    ReadOnlySpan<byte> Series { get; }

    /// <summary>For Series: the value (NaN, +Inf and -Inf included).</summary>
    double Value { get; }

    /// <summary>For Series: the sample's timestamp in milliseconds, or null when it has none.</summary>
    long? TimestampMs { get; }

    /// <summary>For Series: the labels, <c>__name__</c> included, sorted by name.</summary>
    LabelSet GetLabels();

    /// <summary>For Series in OpenMetrics: the exemplar after <c> # </c>, if any.</summary>
    bool TryGetExemplar(out Exemplar exemplar);

    /// <summary>
    /// For Series of counters, histograms and summaries in OpenMetrics: the family's <c>_created</c> timestamp in
    /// milliseconds when the body gives one, else null.
    /// </summary>
    long? CreatedTimestampMs { get; }
}

/// <summary>What <see cref="IExpositionParser.Next"/> found.</summary>
public enum ExpositionEntry
{
    EndOfInput,
    Help,
    Type,
    Unit,
    Comment,
    Series,
}

/// <summary>Metric family types of both formats (OpenMetrics' names; the text format's <c>untyped</c> is <see cref="Unknown"/>).</summary>
public enum MetricType
{
    Unknown,
    Counter,
    Gauge,
    Histogram,
    GaugeHistogram,
    Summary,
    Info,
    StateSet,
}

/// <summary>An OpenMetrics exemplar: its labels, value and optional timestamp (milliseconds).</summary>
public readonly record struct Exemplar(LabelSet Labels, double Value, long? TimestampMs);

/// <summary>Malformed exposition input, with the 1-based line and column of the fault.</summary>
public sealed class ExpositionFormatException(string message, int line, int column)
    : FormatException($"{message} at line {line}, column {column}")
{
    public int Line { get; } = line;

    public int Column { get; } = column;
}
