using System.Text;
using Kansoku.LogQL.Parser.Ast;

namespace Kansoku.LogQL.Parser;

/// <summary>What the store can learn from a log query's line filters before running it.</summary>
internal static class LineFilterHints
{
    /// <summary>
    /// The UTF-8 strings every line the query can return must contain, case-sensitively: the values of the <c>|=</c>
    /// filters (and of <c>|~</c> filters whose regex is a plain literal) that come before anything rewriting the line
    /// (<c>line_format</c>, <c>decolorize</c>, <c>unpack</c>). Filters with <c>or</c> alternatives, <c>ip()</c>, empty
    /// strings and case-insensitive regexes give nothing. Feeds LogSelect.RequiredSubstrings, which lets the store skip
    /// blocks.
    /// </summary>
    public static IReadOnlyList<byte[]> RequiredSubstrings(LogSelectorExpr selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var substrings = new List<byte[]>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var stage in selector.Stages)
        {
            if (stage is LineFormatStage or DecolorizeStage or UnpackParserStage)
            {
                break;
            }
            if (stage is not LineFilterStage { Values: [{ IsIp: false } value] } filter || value.Value.Length == 0)
            {
                continue;
            }
            var required = filter.Type switch
            {
                LineFilterType.Contains => true,
                LineFilterType.Regex => IsPlainLiteral(value.Value),
                _ => false,
            };
            if (required && seen.Add(value.Value))
            {
                substrings.Add(Encoding.UTF8.GetBytes(value.Value));
            }
        }
        return substrings;
    }

    /// <summary>A regex with no metacharacter at all matches exactly its own text, anywhere in the line.</summary>
    private static bool IsPlainLiteral(string regex)
    {
        foreach (var c in regex)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is ' ' or '_' or '-' or ':' or '/' or '=' or ',' or ';' or '\'' or '"' or '@' or '%' or '&' or '!' or '~' or '<' or '>'))
            {
                return false;
            }
        }
        return true;
    }
}
