using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Kansoku.Core.Labels;

namespace Kansoku.Cli.Commands.Logs;

/// <summary>
/// Reads a Loki <c>query_range</c> answer for a log query,
/// <c>{"status":"success","data":{"resultType":"streams","result":[{"stream":{…},"values":[["&lt;ns&gt;","line"],…]}]}}</c>,
/// into entries in the order the server sent them (stream by stream).
/// </summary>
internal static class LokiResponse
{
    public static List<LogLine> ReadStreams(ReadOnlySpan<byte> body)
    {
        var lines = new List<LogLine>();
        string? resultType = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            Expect(ref reader, JsonTokenType.StartObject);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("status"u8))
                {
                    reader.Read();
                    if (!reader.ValueTextEquals("success"u8))
                    {
                        throw new LogsException($"the server answered status {reader.GetString()}: {Encoding.UTF8.GetString(body)}");
                    }
                }
                else if (reader.ValueTextEquals("data"u8))
                {
                    Expect(ref reader, JsonTokenType.StartObject);
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        if (reader.ValueTextEquals("resultType"u8))
                        {
                            reader.Read();
                            resultType = reader.GetString();
                        }
                        else if (reader.ValueTextEquals("result"u8) && resultType is null or "streams")
                        {
                            ReadResult(ref reader, lines);
                        }
                        else
                        {
                            reader.Read();
                            reader.Skip();
                        }
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new LogsException($"cannot read the server's answer ({e.Message}): {Excerpt(body)}");
        }
        if (resultType != "streams")
        {
            throw new LogsException($"the server answered a '{resultType ?? "(none)"}' result, not log streams: a metric query cannot be printed as logs");
        }
        return lines;
    }

    private static void ReadResult(ref Utf8JsonReader reader, List<LogLine> lines)
    {
        Expect(ref reader, JsonTokenType.StartArray);
        var labels = new List<Label>();
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            var streamLabels = LabelSet.Empty;
            var first = lines.Count;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("stream"u8))
                {
                    Expect(ref reader, JsonTokenType.StartObject);
                    labels.Clear();
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var name = reader.GetString()!;
                        reader.Read();
                        labels.Add(new Label(name, reader.GetString()!));
                    }
                    streamLabels = LabelSet.From(labels);
                }
                else if (reader.ValueTextEquals("values"u8))
                {
                    ReadValues(ref reader, lines);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            // "stream" may come after "values": the labels are filled in once both are known.
            for (var i = first; i < lines.Count; i++)
            {
                lines[i] = lines[i] with { Labels = streamLabels };
            }
        }
    }

    private static void ReadValues(ref Utf8JsonReader reader, List<LogLine> lines)
    {
        Expect(ref reader, JsonTokenType.StartArray);
        while (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
        {
            Expect(ref reader, JsonTokenType.String);
            var time = long.Parse(reader.GetString()!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            Expect(ref reader, JsonTokenType.String);
            byte[] line;
            if (reader.ValueIsEscaped)
            {
                var scratch = ArrayPool<byte>.Shared.Rent(reader.ValueSpan.Length);
                line = scratch.AsSpan(0, reader.CopyString(scratch)).ToArray();
                ArrayPool<byte>.Shared.Return(scratch);
            }
            else
            {
                line = reader.ValueSpan.ToArray();
            }
            lines.Add(new LogLine(time, LabelSet.Empty, line));
            // Newer Loki adds a third element (structured metadata) on request; it is not printed.
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                reader.Skip();
            }
        }
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (!reader.Read() || reader.TokenType != type)
        {
            throw new JsonException($"expected {type}, found {reader.TokenType} at byte {reader.TokenStartIndex}");
        }
    }

    private static string Excerpt(ReadOnlySpan<byte> body) =>
        body.Length <= 200 ? Encoding.UTF8.GetString(body) : Encoding.UTF8.GetString(body[..200]) + "…";
}
