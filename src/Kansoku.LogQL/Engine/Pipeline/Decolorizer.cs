using System.Text.RegularExpressions;

namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary><c>| decolorize</c>: removes ANSI escape sequences (Loki's pattern, from acarl005/stripansi).</summary>
internal sealed partial class Decolorizer : Stage
{
    private readonly Utf16Buffer _chars = new();
    private readonly Utf8Output _line = new();

    public override bool Process(long timestamp, ref ReadOnlySpan<byte> line, LabelsBuilder labels)
    {
        // ESC, or the UTF-8 encoding of the C1 control CSI (U+009B).
        if (line.IndexOf((byte)0x1B) < 0 && line.IndexOf("\u009B"u8) < 0)
        {
            return true;
        }
        var text = _chars.Decode(line).ToString();
        line = _line.Encode(AnsiSequence().Replace(text, ""));
        return true;
    }

    [GeneratedRegex("[\u001B\u009B][[\\]()#;?]*(?:(?:(?:[a-zA-Z\\d]*(?:;[a-zA-Z\\d]*)*)?\u0007)|(?:(?:\\d{1,4}(?:;\\d{0,4})*)?[\\dA-PRZcf-ntqry=><~]))", RegexOptions.CultureInvariant)]
    private static partial Regex AnsiSequence();
}
