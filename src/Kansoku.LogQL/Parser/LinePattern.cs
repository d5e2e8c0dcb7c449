using System.Text;

namespace Kansoku.LogQL.Parser;

/// <summary>
/// A Loki pattern (<c>&lt;ip&gt; - - [&lt;_&gt;] "&lt;method&gt; &lt;path&gt;"</c>): literals and captures, where a capture is
/// <c>&lt;</c> an ASCII letter or <c>_</c>, letters, digits or <c>_</c>, <c>&gt;</c>; any other text is literal.
/// </summary>
internal sealed class LinePattern
{
    private LinePattern(string text, IReadOnlyList<LinePatternPart> parts)
    {
        Text = text;
        Parts = parts;
    }

    public string Text { get; }

    /// <summary>Alternating as written; consecutive literals are merged.</summary>
    public IReadOnlyList<LinePatternPart> Parts { get; }

    public static LinePattern Parse(string text)
    {
        var parts = new List<LinePatternPart>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var captureEnd = text[i] == '<' ? CaptureEnd(text, i) : -1;
            if (captureEnd < 0)
            {
                literal.Append(text[i++]);
                continue;
            }
            if (literal.Length > 0)
            {
                parts.Add(new LinePatternPart(literal.ToString(), IsCapture: false));
                literal.Clear();
            }
            parts.Add(new LinePatternPart(text[(i + 1)..captureEnd], IsCapture: true));
            i = captureEnd + 1;
        }
        if (literal.Length > 0)
        {
            parts.Add(new LinePatternPart(literal.ToString(), IsCapture: false));
        }
        return new LinePattern(text, parts);
    }

    /// <summary>Loki's rules for <c>| pattern</c>: a named capture, no two captures in a row, no name twice.</summary>
    public string? ValidateForParser()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in Parts)
        {
            if (part.IsNamedCapture && !names.Add(part.Text))
            {
                return $"duplicate capture name ({part.Text}): invalid expression";
            }
        }
        if (names.Count == 0)
        {
            return "at least one capture is required";
        }
        return ValidateNoConsecutiveCaptures();
    }

    /// <summary>Loki's rules for <c>|&gt;</c> and <c>!&gt;</c>: only <c>&lt;_&gt;</c>, never two in a row.</summary>
    public string? ValidateForLineFilter()
    {
        foreach (var part in Parts)
        {
            if (part.IsNamedCapture)
            {
                return $"named captures are not allowed: found '<{part.Text}>'";
            }
        }
        return ValidateNoConsecutiveCaptures();
    }

    private string? ValidateNoConsecutiveCaptures()
    {
        for (var i = 1; i < Parts.Count; i++)
        {
            if (Parts[i].IsCapture && Parts[i - 1].IsCapture)
            {
                return $"found consecutive capture '<{Parts[i - 1].Text}><{Parts[i].Text}>': invalid expression";
            }
        }
        return null;
    }

    private static int CaptureEnd(string text, int open)
    {
        var i = open + 1;
        if (i >= text.Length || !(char.IsAsciiLetter(text[i]) || text[i] == '_'))
        {
            return -1;
        }
        while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
        {
            i++;
        }
        return i < text.Length && text[i] == '>' ? i : -1;
    }
}
