namespace Kansoku.LogQL.Engine.Templates;

/// <summary>Positions in template text, for Go-style messages (<c>template: line:1:7: ...</c>).</summary>
internal static class TemplateSource
{
    public static int Line(string text, int offset)
    {
        var line = 1;
        for (var i = 0; i < offset && i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                line++;
            }
        }
        return line;
    }

    /// <summary>The 0-based column of <paramref name="offset"/> in its line, as Go reports it.</summary>
    public static int Column(string text, int offset)
    {
        var lineStart = offset <= 0 ? -1 : text.LastIndexOf('\n', Math.Min(offset, text.Length) - 1);
        return offset - lineStart - 1;
    }
}
