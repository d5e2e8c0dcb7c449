using System.Text.Encodings.Web;
using System.Text.Json;
using Kansoku.Core.Exposition;
using Kansoku.Core.Labels;
using Kansoku.Agent.Parsers.Time;

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
    public static void WritePoint(Utf8JsonWriter writer, ResultPoint point)
    {
        Span<byte> buffer = stackalloc byte[GoFloat.MaxLength];
        writer.WriteStartArray();
        writer.WriteRawValue(buffer[..ApiTime.FormatTimestamp(point.TimestampMs, buffer)], skipInputValidation: true);
        writer.WriteStringValue(buffer[..GoFloat.FormatApi(point.Value, buffer)]);
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

    public static void WriteResult(Utf8JsonWriter writer, QueryResult result)
    {
        writer.WriteStartObject();
        writer.WriteString("resultType", result.ResultType);
        writer.WriteStartArray("result");
        foreach (var series in result.Series)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("metric");
            WriteLabels(writer, series.Labels.AsSpan());
            if (result.IsMatrix)
            {
                writer.WriteStartArray("values");
                foreach (var point in series.Points)
                {
                    WritePoint(writer, point);
                }
                writer.WriteEndArray();
            }
            else
            {
                writer.WritePropertyName("value");
                WritePoint(writer, series.Points[0]);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
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
