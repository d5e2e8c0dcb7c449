using System.Text;

namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary>Parsed values become label values as Loki makes them: invalid UTF-8 (and U+FFFD itself) turns into a space.</summary>
internal static class LabelValues
{
    public static string FromUtf8(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return "";
        }
        var value = Encoding.UTF8.GetString(utf8);
        return value.Contains('\uFFFD', StringComparison.Ordinal) ? value.Replace('\uFFFD', ' ') : value;
    }

    /// <summary>The line as a string for APIs that need one (regex captures), invalid UTF-8 as U+FFFD.</summary>
    public static string FromUtf8Raw(ReadOnlySpan<byte> utf8) => utf8.IsEmpty ? "" : Encoding.UTF8.GetString(utf8);
}
