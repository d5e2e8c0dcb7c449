using System.Text.Encodings.Web;
using System.Text.Json;
using Kansoku.Agent.Parsers.Time;
using Kansoku.Core.Exposition;
using Kansoku.Core.Labels;
using Kansoku.PromQL.Engine;

namespace Kansoku.Server.Prometheus;

/// <summary>The pieces of Prometheus' JSON that need its exact layout: sample pairs, label objects, Go times.</summary>
internal static class PrometheusJson
{
    /// <summary>
    /// Keeps <c>+Inf</c> and label values readable (the default encoder writes <c>\u002BInf</c>); the output is still valid
    /// JSON, it is served as application/json and never embedded in HTML.
    /// </summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A sample as Prometheus writes it: <c>[1435781451.781, "1"]</c>, the time a number, the value a string.</summary>
    public static void WritePoint(Utf8JsonWriter writer, long timestampMs, double value)
    {
        Span<byte> buffer = stackalloc byte[GoFloat.MaxLength];
        writer.WriteStartArray();
        writer.WriteRawValue(buffer[..ApiTime.FormatTimestamp(timestampMs, buffer)], skipInputValidation: true);
        writer.WriteStringValue(buffer[..GoFloat.FormatApi(value, buffer)]);
        writer.WriteEndArray();
    }

    public static void WriteLabels(Utf8JsonWriter writer, ReadOnlySpan<Label> labels)
    {
        writer.WriteStartObject();
        foreach (var label in labels)
        {
            writer.WriteString(label.Name, label.Value);
        }
        writer.WriteEndObject();
    }

    /// <summary>Labels as Go marshals a map: keys sorted, duplicates resolved to the last.</summary>
    public static void WriteLabelMap(Utf8JsonWriter writer, IReadOnlyList<Label> labels)
    {
        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var label in labels)
        {
            sorted[label.Name] = label.Value;
        }
        writer.WriteStartObject();
        foreach (var (name, value) in sorted)
        {
            writer.WriteString(name, value);
        }
        writer.WriteEndObject();
    }

    /// <summary>A query's value as Prometheus' API writes it: <c>{"resultType": …, "result": …}</c>.</summary>
    public static void WriteValue(Utf8JsonWriter writer, QueryValue value)
    {
        writer.WriteStartObject();
        switch (value)
        {
            case ScalarValue scalar:
                writer.WriteString("resultType", "scalar");
                writer.WritePropertyName("result");
                WritePoint(writer, scalar.TimestampMs, scalar.Value);
                break;
            case StringValue text:
                writer.WriteString("resultType", "string");
                writer.WritePropertyName("result");
                WriteStringPoint(writer, text.TimestampMs, text.Value);
                break;
            case VectorValue vector:
                writer.WriteString("resultType", "vector");
                writer.WriteStartArray("result");
                foreach (var sample in vector.Samples)
                {
                    writer.WriteStartObject();
                    writer.WritePropertyName("metric");
                    WriteLabels(writer, sample.Metric.AsSpan());
                    writer.WritePropertyName("value");
                    WritePoint(writer, sample.TimestampMs, sample.Value);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                break;
            case MatrixValue matrix:
                writer.WriteString("resultType", "matrix");
                writer.WriteStartArray("result");
                foreach (var series in matrix.Series)
                {
                    writer.WriteStartObject();
                    writer.WritePropertyName("metric");
                    WriteLabels(writer, series.Metric.AsSpan());
                    writer.WriteStartArray("values");
                    foreach (var point in series.Points)
                    {
                        WritePoint(writer, point.TimestampMs, point.Value);
                    }
                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                break;
            default:
                throw new ArgumentException($"unknown query value {value.GetType().Name}", nameof(value));
        }
        writer.WriteEndObject();
    }

    private static void WriteStringPoint(Utf8JsonWriter writer, long timestampMs, string value)
    {
        Span<byte> buffer = stackalloc byte[GoFloat.MaxLength];
        writer.WriteStartArray();
        writer.WriteRawValue(buffer[..ApiTime.FormatTimestamp(timestampMs, buffer)], skipInputValidation: true);
        writer.WriteStringValue(value);
        writer.WriteEndArray();
    }

    /// <summary>A Go <c>time.Time</c> in JSON: RFC 3339 with nanoseconds, trailing zeros trimmed; null is Go's zero time.</summary>
    public static void WriteTime(Utf8JsonWriter writer, string propertyName, DateTimeOffset? time)
    {
        if (time is not { } value)
        {
            writer.WriteString(propertyName, "0001-01-01T00:00:00Z");
            return;
        }
        Span<byte> buffer = stackalloc byte[Rfc3339.MaxFormattedLength];
        var nanos = (value.UtcTicks - DateTime.UnixEpoch.Ticks) * 100;
        writer.WriteString(propertyName, buffer[..Rfc3339.Format(nanos, buffer)]);
    }
}
