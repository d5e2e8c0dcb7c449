using System.Globalization;
using System.Text;

namespace Kansoku.Server.Prometheus;

/// <summary>Go's <c>%q</c> for the strings Prometheus quotes in its error messages, so messages read the same.</summary>
internal static class GoQuote
{
    public static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var rune in value.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    if (Rune.IsControl(rune))
                    {
                        text.Append(rune.Value < 0x100 ? "\\x" + rune.Value.ToString("x2", CultureInfo.InvariantCulture)
                            : "\\u" + rune.Value.ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(rune.ToString());
                    }
                    break;
            }
        }
        return text.Append('"').ToString();
    }
}
