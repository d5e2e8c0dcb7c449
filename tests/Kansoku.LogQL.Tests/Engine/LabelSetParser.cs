using System.Text;
using Kansoku.Core.Labels;
using Kansoku.LogQL.Engine;

namespace Kansoku.LogQL.Tests.Engine;

/// <summary>Reads <c>{a="b", c=""}</c> label sets in test data (Go escapes in values; empty values kept for result lists).</summary>
internal static class LabelSetParser
{
    public static LabelSet Parse(string text) => LabelSet.From(ParseLabels(text));

    public static LabelList ParseList(string text) => LabelList.From(ParseLabels(text));

    public static List<Label> ParseLabels(string text)
    {
        var labels = new List<Label>();
        var i = 0;
        Skip(text, ref i);
        Expect(text, ref i, '{');
        while (true)
        {
            Skip(text, ref i);
            if (text[i] == '}')
            {
                return labels;
            }
            var start = i;
            while (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_')
            {
                i++;
            }
            var name = text[start..i];
            Skip(text, ref i);
            Expect(text, ref i, '=');
            Skip(text, ref i);
            labels.Add(new Label(name, ReadQuoted(text, ref i)));
            Skip(text, ref i);
            if (text[i] == ',')
            {
                i++;
            }
        }
    }

    private static string ReadQuoted(string text, ref int i)
    {
        Expect(text, ref i, '"');
        var value = new StringBuilder();
        while (text[i] != '"')
        {
            if (text[i] == '\\')
            {
                i++;
                value.Append(text[i] switch { 'n' => '\n', 't' => '\t', _ => text[i] });
            }
            else
            {
                value.Append(text[i]);
            }
            i++;
        }
        i++;
        return value.ToString();
    }

    private static void Skip(string text, ref int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }
    }

    private static void Expect(string text, ref int i, char c)
    {
        if (text[i] != c)
        {
            throw new FormatException($"expected '{c}' at {i} in {text}");
        }
        i++;
    }
}
