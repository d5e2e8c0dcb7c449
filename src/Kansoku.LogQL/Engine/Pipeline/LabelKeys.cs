using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;

namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary>
/// Loki's label-name sanitizing for parsed keys: surrounding spaces trimmed, every character that is not an ASCII
/// letter, digit or <c>_</c> replaced by <c>_</c>, and a leading digit prefixed with <c>_</c> (<c>9x</c> → <c>_9x</c>).
/// </summary>
internal static class LabelKeys
{
    private static readonly SearchValues<byte> s_labelBytes =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"u8);

    /// <summary>Appends the sanitized form of the UTF-8 <paramref name="key"/>; <paramref name="isFirst"/> when nothing precedes it.</summary>
    public static void AppendSanitized(List<char> to, ReadOnlySpan<byte> key, bool isFirst)
    {
        key = key.Trim(" \t\n\v\f\r"u8);
        if (key.IsEmpty)
        {
            return;
        }
        if (isFirst && char.IsAsciiDigit((char)key[0]))
        {
            to.Add('_');
        }
        // At most one character per byte: write straight into the list, then trim to what was written.
        var start = to.Count;
        CollectionsMarshal.SetCount(to, start + key.Length);
        var chars = CollectionsMarshal.AsSpan(to)[start..];
        if (!key.ContainsAnyExcept(s_labelBytes))
        {
            // The usual key (level, trace_id): already a label name.
            Encoding.Latin1.GetChars(key, chars);
            return;
        }
        var written = 0;
        while (!key.IsEmpty)
        {
            if (key[0] < 0x80)
            {
                chars[written++] = IsLabelChar(key[0]) ? (char)key[0] : '_';
                key = key[1..];
                continue;
            }
            // Every non-ASCII character (or invalid sequence) becomes one '_'.
            Rune.DecodeFromUtf8(key, out _, out var consumed);
            chars[written++] = '_';
            key = key[consumed..];
        }
        CollectionsMarshal.SetCount(to, start + written);
    }

    /// <summary>Loki's <c>sanitizeLabelKey(key, true)</c> for a key already decoded.</summary>
    public static string Sanitize(string key)
    {
        var trimmed = key.AsSpan().Trim();
        if (trimmed.IsEmpty)
        {
            return "";
        }
        var text = new StringBuilder(trimmed.Length + 1);
        if (char.IsAsciiDigit(trimmed[0]))
        {
            text.Append('_');
        }
        foreach (var rune in trimmed.EnumerateRunes())
        {
            text.Append(IsLabelChar(rune.Value) ? (char)rune.Value : '_');
        }
        return text.ToString();
    }

    public static bool IsEmptyAfterTrim(ReadOnlySpan<byte> key) => key.Trim(" \t\n\v\f\r"u8).IsEmpty;

    private static bool IsLabelChar(int c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_';
}
