using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Kansoku.LogQL.Engine.Go;

/// <summary>
/// Go's <c>Regexp.Expand</c> for replacement templates: <c>$name</c> takes the longest run of letters, digits and
/// <c>_</c> (so <c>$1x</c> is the group named "1x", usually empty), <c>${name}</c> delimits it, <c>$$</c> is a dollar.
/// </summary>
internal static class GoRegexExpand
{
    public static string Expand(string template, Match match)
    {
        if (!template.Contains('$', StringComparison.Ordinal))
        {
            return template;
        }
        var text = new StringBuilder();
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c != '$' || i + 1 >= template.Length)
            {
                text.Append(c);
                continue;
            }
            if (template[i + 1] == '$')
            {
                text.Append('$');
                i++;
                continue;
            }
            string name;
            if (template[i + 1] == '{')
            {
                var close = template.IndexOf('}', i + 2);
                if (close < 0)
                {
                    text.Append(c);
                    continue;
                }
                name = template[(i + 2)..close];
                i = close;
            }
            else
            {
                var end = i + 1;
                while (end < template.Length && (char.IsAsciiLetterOrDigit(template[end]) || template[end] == '_'))
                {
                    end++;
                }
                if (end == i + 1)
                {
                    text.Append(c);
                    continue;
                }
                name = template[(i + 1)..end];
                i = end - 1;
            }
            var group = int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                ? (number < match.Groups.Count ? match.Groups[number] : null)
                : match.Groups[name];
            if (group is { Success: true })
            {
                text.Append(group.Value);
            }
        }
        return text.ToString();
    }
}
