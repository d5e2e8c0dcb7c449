using System.Runtime.InteropServices;
using System.Text.Json;

namespace Kansoku.Server.Ingest;

/// <summary>
/// The UTF-8 of JSON string elements without a UTF-16 string in between: as written in the parsed text when there is
/// nothing to unescape (the common case), else unescaped into a buffer the caller gives.
/// </summary>
internal static class JsonStrings
{
    /// <summary>
    /// Scratch for <see cref="ForParsing"/> that fits any timestamp or number worth parsing: an RFC 3339 time with
    /// nanoseconds and an offset is 35 bytes.
    /// </summary>
    public const int MaxShortBytes = 64;

    /// <summary>The bytes between the quotes of a string element as written, escapes and all: a view of the parsed JSON.</summary>
    public static ReadOnlySpan<byte> Raw(JsonElement value) => JsonMarshal.GetRawUtf8Value(value)[1..^1];

    public static bool IsEscaped(ReadOnlySpan<byte> raw) => raw.Contains((byte)'\\');

    /// <summary>
    /// Unescapes a string element into <paramref name="destination"/>, which must be as long as its <see cref="Raw"/>
    /// form (unescaping never lengthens); returns the length written. Throws <see cref="FormatException"/> when the text
    /// is not valid UTF-8 or escapes a lone surrogate.
    /// </summary>
    public static int Unescape(JsonElement value, Span<byte> destination)
    {
        var reader = new Utf8JsonReader(JsonMarshal.GetRawUtf8Value(value));
        reader.Read();
        try
        {
            return reader.CopyString(destination);
        }
        catch (InvalidOperationException e)
        {
            throw new FormatException(e.Message, e);
        }
    }

    /// <summary>
    /// A short string to parse, such as a timestamp: its raw bytes when it has no escapes, else unescaped into
    /// <paramref name="scratch"/>. An escaped string longer than <paramref name="scratch"/> comes back raw, backslashes
    /// and all, which no timestamp or number parser accepts.
    /// </summary>
    public static ReadOnlySpan<byte> ForParsing(JsonElement value, Span<byte> scratch)
    {
        var raw = Raw(value);
        if (!IsEscaped(raw) || raw.Length > scratch.Length)
        {
            return raw;
        }
        try
        {
            return scratch[..Unescape(value, scratch)];
        }
        catch (FormatException)
        {
            return raw;
        }
    }
}
