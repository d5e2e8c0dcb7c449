namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary>
/// <c>| logfmt [--strict] [--keep-empty]</c> (Loki's <c>LogfmtParser</c>): each pair becomes a label with a sanitized
/// name (<c>_extracted</c> when the stream has it; a key seen twice keeps the first value). Empty values are dropped
/// unless <c>--keep-empty</c>. Malformed pairs are skipped, or with <c>--strict</c> stop parsing and set
/// <c>__error__="LogfmtParserErr"</c>.
/// </summary>
internal sealed class LogfmtParser(bool strict, bool keepEmpty) : Stage
{
    private readonly LogfmtKeys _keys = new();
    private readonly ScratchBuffer _scratch = new();

    public override bool Process(long timestamp, ref ReadOnlySpan<byte> line, LabelsBuilder labels)
    {
        var hints = labels.Hints;
        if (hints.NoLabels)
        {
            return true;
        }
        var decoder = new LogfmtDecoder(line, _scratch.ForLength(line.Length));
        while (!decoder.EndOfLine)
        {
            if (!decoder.ScanKeyValue())
            {
                if (strict)
                {
                    break;
                }
                continue;
            }
            var key = _keys.Get(decoder.Key);
            if (key.Length == 0)
            {
                continue;
            }
            if (labels.BaseHas(key))
            {
                key += LokiLabels.ExtractedSuffix;
            }
            if (!hints.ShouldExtract(key) || hints.Extracted(key))
            {
                continue;
            }
            var value = decoder.Value;
            if (!keepEmpty && value.IsEmpty)
            {
                continue;
            }
            labels.Set(key, LabelValues.FromUtf8(value));
            if (hints.AllRequiredExtracted)
            {
                break;
            }
        }
        if (strict && decoder.Error is { } error)
        {
            labels.SetError(LokiLabels.LogfmtParserError, error);
        }
        return true;
    }
}
