using System.Text;

namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary>
/// Loki's label-name sanitizing for parsed keys: surrounding spaces trimmed, every character that is not an ASCII
/// letter, digit or <c>_</c> replaced by <c>_</c>, and a leading digit prefixed with <c>_</c> (<c>9x</c> → <c>_9x</c>).
/// </summary>
internal static class LabelKeys
{
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
        while (!key.IsEmpty)
        {
            Rune.DecodeFromUtf8(key, out var rune, out var consumed);
            to.Add(IsLabelChar(rune.Value) ? (char)rune.Value : '_');
            key = key[consumed..];
        }
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
