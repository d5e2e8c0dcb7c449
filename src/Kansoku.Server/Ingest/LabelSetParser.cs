using Kansoku.Core.Labels;

namespace Kansoku.Server.Ingest;

/// <summary>Parses a label set written as <c>{a="b", c="d"}</c>, as Loki's protobuf push and legacy JSON carry them.</summary>
internal static class LabelSetParser
{
    public static LabelSet Parse(string text)
    {
        var labels = new List<Label>();
        var position = 0;
        Skip(text, ref position);
        Expect(text, ref position, '{');
        Skip(text, ref position);
        while (position < text.Length && text[position] != '}')
        {
            var nameStart = position;
            while (position < text.Length && (char.IsAsciiLetterOrDigit(text[position]) || text[position] == '_'))
            {
                position++;
            }
            var name = text[nameStart..position];
            if (!IsValidName(name))
            {
                throw new FormatException($"labels {text}: invalid label name at offset {nameStart}");
            }
            Skip(text, ref position);
            Expect(text, ref position, '=');
            Skip(text, ref position);
            labels.Add(new Label(name, ReadQuoted(text, ref position)));
            Skip(text, ref position);
            if (position < text.Length && text[position] == ',')
            {
                position++;
                Skip(text, ref position);
            }
        }
        Expect(text, ref position, '}');
        return LabelSet.From(labels);
    }

    public static bool IsValidName(string name)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            return false;
        }
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }
        return true;
    }

    private static string ReadQuoted(string text, ref int position)
    {
        Expect(text, ref position, '"');
        var value = new System.Text.StringBuilder();
        while (position < text.Length && text[position] != '"')
        {
            var c = text[position++];
            if (c == '\\' && position < text.Length)
            {
                var escaped = text[position++];
                value.Append(escaped switch { 'n' => '\n', 't' => '\t', 'r' => '\r', _ => escaped });
            }
            else
            {
                value.Append(c);
            }
        }
        Expect(text, ref position, '"');
        return value.ToString();
    }

    private static void Skip(string text, ref int position)
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
        {
            position++;
        }
    }

    private static void Expect(string text, ref int position, char expected)
    {
        if (position >= text.Length || text[position] != expected)
        {
            throw new FormatException($"labels {text}: expected '{expected}' at offset {position}");
        }
        position++;
    }
}
