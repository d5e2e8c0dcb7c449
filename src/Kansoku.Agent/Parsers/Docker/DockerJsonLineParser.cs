using System.Buffers;
using System.Text.Json;
using Kansoku.Agent.Parsers.Time;
using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Parsers.Docker;

/// <summary>
/// Parses docker json-file lines, <c>{"log":"text\n","stream":"stdout","time":"2019-01-01T00:00:00.123Z"}</c>.
/// The content is the unescaped <c>log</c> without its final newline; a <c>log</c> without one is a partial line that
/// continues in the next record (docker splits lines at 16 KiB), like a CRI P record. A '\r' before the final
/// newline is dropped, matching the CRI reader.
/// </summary>
internal static class DockerJsonLineParser
{
    /// <summary>
    /// Parses <paramref name="line"/>, writing the content to <paramref name="content"/>, which needs
    /// <c>line.Length</c> bytes at most (unescaping never grows text).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> line, Span<byte> content, out DockerJsonLine result)
    {
        result = default;
        var trimmed = line.TrimEnd("\r\n "u8);
        // A cheap shape check first: a malformed line costs an exception inside Utf8JsonReader.
        if (trimmed.IsEmpty || trimmed[0] != '{' || trimmed[^1] != '}')
        {
            return false;
        }
        try
        {
            return TryRead(trimmed, content, out result);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Parses <paramref name="line"/>, appending the content to <paramref name="content"/>.</summary>
    public static bool TryParse(ReadOnlySpan<byte> line, IBufferWriter<byte> content, out DockerJsonLine result)
    {
        var destination = content.GetSpan(line.Length);
        if (!TryParse(line, destination, out result))
        {
            return false;
        }
        content.Advance(result.ContentLength);
        return true;
    }

    private static bool TryRead(ReadOnlySpan<byte> line, Span<byte> content, out DockerJsonLine result)
    {
        result = default;
        var reader = new Utf8JsonReader(line);
        reader.Read();
        var length = -1;
        var stream = LogStream.Unknown;
        long time = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("log"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return false;
                }
                length = reader.ValueIsEscaped ? reader.CopyString(content) : Copy(reader.ValueSpan, content);
            }
            else if (reader.ValueTextEquals("stream"u8))
            {
                reader.Read();
                stream = reader.ValueTextEquals("stdout"u8) ? LogStream.Stdout
                    : reader.ValueTextEquals("stderr"u8) ? LogStream.Stderr
                    : LogStream.Unknown;
            }
            else if (reader.ValueTextEquals("time"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || !Rfc3339.TryParse(reader.ValueSpan, out time))
                {
                    return false;
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (length < 0 || reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            return false;
        }
        var partial = true;
        if (length > 0 && content[length - 1] == '\n')
        {
            partial = false;
            length--;
            if (length > 0 && content[length - 1] == '\r')
            {
                length--;
            }
        }
        result = new DockerJsonLine(time, stream, partial, length);
        return true;
    }

    private static int Copy(ReadOnlySpan<byte> value, Span<byte> destination)
    {
        value.CopyTo(destination);
        return value.Length;
    }
}
