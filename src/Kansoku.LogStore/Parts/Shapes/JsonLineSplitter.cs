using System.Text.Json;
using Kansoku.LogStore.Binary;
using Kansoku.Storage.Logs;

namespace Kansoku.LogStore.Parts.Shapes;

/// <summary>A value of a JSON line: the path of keys leading to it (in the splitter's path bytes) and where it is in the line.</summary>
internal readonly record struct JsonLeaf(int PathStart, int PathLength, int ValueStart, int ValueEnd);

/// <summary>
/// Splits a line that is one JSON object into its leaf values and the bytes between them, so a block can store the
/// values column by column (see <see cref="BlockShaper"/>). Leaves are the scalar values, arrays, and objects nested
/// deeper than <see cref="MaxDepth"/>; everything else (braces, keys, separators, whitespace) is in the gaps, so the
/// line is given back byte for byte. A leaf's path is its keys as written in the line (escapes included), joined by
/// 0x00, which JSON keys cannot hold unescaped. Uses System.Text.Json's reader, which also checks the whole line is
/// valid JSON.
/// </summary>
internal static class JsonLineSplitter
{
    /// <summary>Objects nested up to this depth (the line's own object is 1) are split into their values.</summary>
    public const int MaxDepth = 4;

    /// <summary>Lines with more leaves are kept whole.</summary>
    public const int MaxLeaves = 256;

    /// <summary>Lines with a longer key path are kept whole.</summary>
    public const int MaxPathBytes = 512;

    public const byte PathSeparator = JsonFieldTable.PathSeparator;

    /// <summary>
    /// Fills <paramref name="leaves"/> (paths in <paramref name="paths"/>) when <paramref name="line"/> is one JSON object
    /// within the limits; false otherwise (the line is stored whole).
    /// </summary>
    public static bool TrySplit(ReadOnlySpan<byte> line, List<JsonLeaf> leaves, ByteBuffer paths, ByteBuffer path)
    {
        leaves.Clear();
        paths.Clear();
        path.Clear();
        // Most lines that are not JSON objects are told apart here: the reader reports the others with an exception,
        // which costs far more than the scan.
        var trimmed = line.Trim(" \t\r\n"u8);
        if (trimmed.Length < 2 || trimmed[0] != (byte)'{' || trimmed[^1] != (byte)'}')
        {
            return false;
        }
        Span<int> keyStarts = stackalloc int[MaxDepth + 1];
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            var depth = 1;
            while (depth > 0)
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    depth--;
                    if (depth > 0)
                    {
                        path.Truncate(keyStarts[depth]);
                    }
                    continue;
                }
                // Inside an object every other token is a key, followed by its value.
                keyStarts[depth] = path.Length;
                if (path.Length > 0)
                {
                    path.WriteByte(PathSeparator);
                }
                path.Write(reader.ValueSpan);
                if (path.Length > MaxPathBytes)
                {
                    return false;
                }
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject && depth < MaxDepth)
                {
                    depth++;
                    continue;
                }
                var start = (int)reader.TokenStartIndex;
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                }
                if (leaves.Count == MaxLeaves)
                {
                    return false;
                }
                leaves.Add(new JsonLeaf(paths.Length, path.Length, start, (int)reader.BytesConsumed));
                paths.Write(path.Span);
                path.Truncate(keyStarts[depth]);
            }
            // Anything but whitespace after the object makes the reader throw.
            while (reader.Read())
            {
            }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
