namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary>
/// <c>| pattern "&lt;ip&gt; - &lt;_&gt; &lt;status&gt;"</c> (Loki's <c>pattern.Matcher.Matches</c>): a leading literal must start
/// the line; each capture takes the text up to the next literal; when a literal is missing, the capture takes the
/// rest of the line and later captures stay unset. A line that does not start right extracts nothing but passes.
/// </summary>
internal sealed class PatternParser(CompiledPattern pattern) : Stage
{
    public override bool Process(long timestamp, ref ReadOnlySpan<byte> line, LabelsBuilder labels)
    {
        var hints = labels.Hints;
        if (hints.NoLabels || line.IsEmpty)
        {
            return true;
        }
        var parts = pattern.Parts.AsSpan();
        if (parts.IsEmpty)
        {
            return true;
        }
        var rest = line;
        if (!parts[0].IsCapture)
        {
            if (rest.IndexOf(parts[0].Literal!) != 0)
            {
                return true;
            }
            rest = rest[parts[0].Literal!.Length..];
            parts = parts[1..];
        }
        while (!parts.IsEmpty)
        {
            var capture = parts[0];
            if (parts.Length == 1)
            {
                Capture(labels, capture.Name, rest);
                return true;
            }
            var literal = parts[1].Literal!;
            parts = parts[2..];
            var found = rest.IndexOf(literal);
            if (found < 0)
            {
                Capture(labels, capture.Name, rest);
                return true;
            }
            Capture(labels, capture.Name, rest[..found]);
            rest = rest[(found + literal.Length)..];
        }
        return true;
    }

    private static void Capture(LabelsBuilder labels, string? name, ReadOnlySpan<byte> value)
    {
        if (name is null)
        {
            return;
        }
        var key = labels.BaseHas(name) ? name + LokiLabels.ExtractedSuffix : name;
        if (labels.Hints.Extracted(key) || !labels.Hints.ShouldExtract(key))
        {
            return;
        }
        labels.Set(key, LabelValues.FromUtf8Raw(value));
    }
}
