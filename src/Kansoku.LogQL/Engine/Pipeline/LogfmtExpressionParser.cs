namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary>
/// <c>| logfmt [--strict] a, b="key"</c> (Loki's <c>LogfmtExpressionParser</c>): only the listed keys become labels,
/// under their given names, and every listed label exists afterwards (empty when the key is missing).
/// </summary>
internal sealed class LogfmtExpressionParser(IReadOnlyList<(string Name, string Key)> expressions, bool strict) : Stage
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
        foreach (var (name, _) in expressions)
        {
            if (!labels.BaseHas(name))
            {
                labels.Set(name, "");
            }
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
            if (key.Length == 0 || (!IsListed(key) && (!hints.ShouldExtract(key) || hints.Extracted(key))))
            {
                continue;
            }
            var value = decoder.Value;
            if (!System.Text.Unicode.Utf8.IsValid(value) || value.IndexOf("\uFFFD"u8) >= 0)
            {
                value = [];
            }
            // Loki renames a key to the label that extracts it, then keeps it only if it names a label.
            foreach (var (labelName, labelKey) in expressions)
            {
                if (string.Equals(key, labelKey, StringComparison.Ordinal))
                {
                    key = labelName;
                    break;
                }
            }
            if (!IsListed(key))
            {
                continue;
            }
            if (labels.BaseHas(key))
            {
                key += LokiLabels.ExtractedSuffix;
                if (hints.Extracted(key) || !hints.ShouldExtract(key))
                {
                    break;
                }
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

    private bool IsListed(string key)
    {
        foreach (var (name, _) in expressions)
        {
            if (string.Equals(name, key, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }
}
