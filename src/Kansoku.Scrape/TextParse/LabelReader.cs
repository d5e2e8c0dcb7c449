using System.Text.Unicode;

namespace Kansoku.Scrape.TextParse;

/// <summary>
/// Reads a brace-enclosed label list into reusable <see cref="LabelToken"/>s. The text format is lenient as Prometheus'
/// lexer is (blanks between tokens, commas optional, a trailing comma, raw line feeds in quoted strings); OpenMetrics is
/// strict (no blanks, exactly one comma between labels, none at the end). Both take quoted UTF-8 names, and a quoted string
/// standing alone is the metric name (<c>{"my.metric", a="b"}</c>).
/// </summary>
internal static class LabelReader
{
    /// <summary>
    /// Reads from just after <c>{</c> to just after <c>}</c>, appending the labels at <c>labels[count..]</c>. Returns the
    /// position after <c>}</c>, or the position of the fault with <paramref name="error"/> set.
    /// </summary>
    public static int Read(ReadOnlySpan<byte> body, int position, bool openMetrics, ref LabelToken[] labels, ref int count,
        ref ByteToken metricName, out string? error)
    {
        var first = count;
        error = null;
        var expectName = true;
        var afterComma = false;
        while (true)
        {
            if (!openMetrics)
            {
                position = ExpositionSyntax.SkipBlanks(body, position);
            }
            if (position >= body.Length)
            {
                error = "unterminated label set";
                return position;
            }
            var c = body[position];
            if (c == '}')
            {
                if (openMetrics && afterComma)
                {
                    error = "trailing comma in label set";
                    return position;
                }
                var duplicate = FindInvalidName(body, labels.AsSpan(first, count - first), out error);
                return duplicate >= 0 ? duplicate : position + 1;
            }
            if (!expectName)
            {
                error = "expected ',' or '}' after label value";
                return position;
            }

            ByteToken name;
            bool quotedName;
            if (c == '"')
            {
                position = ExpositionSyntax.ScanQuoted(body, position, allowNewline: !openMetrics, out name);
                if (position < 0)
                {
                    error = "unterminated quoted name";
                    return body.Length;
                }
                quotedName = true;
                if (!Utf8.IsValid(name.Of(body)))
                {
                    error = "invalid UTF-8 in a quoted name";
                    return name.Start;
                }
            }
            else
            {
                var end = ExpositionSyntax.ScanLabelName(body, position);
                if (end == position)
                {
                    error = "expected label name";
                    return position;
                }
                name = new ByteToken(position, end - position, false);
                position = end;
                quotedName = false;
            }

            var afterName = openMetrics ? position : ExpositionSyntax.SkipBlanks(body, position);
            if (quotedName && afterName < body.Length && body[afterName] is (byte)',' or (byte)'}')
            {
                if (metricName.IsPresent)
                {
                    error = "metric name given twice";
                    return name.Start;
                }
                metricName = name;
                position = afterName;
                afterComma = AfterPair(body, ref position, openMetrics);
                expectName = afterComma || !openMetrics;
                continue;
            }
            if (afterName >= body.Length || body[afterName] != '=')
            {
                error = "expected '=' after label name";
                return afterName;
            }
            position = openMetrics ? afterName + 1 : ExpositionSyntax.SkipBlanks(body, afterName + 1);
            if (position >= body.Length || body[position] != '"')
            {
                error = "expected quoted label value";
                return position;
            }
            var valueStart = position;
            position = ExpositionSyntax.ScanQuoted(body, position, allowNewline: !openMetrics, out var value);
            if (position < 0)
            {
                error = "unterminated label value";
                return valueStart;
            }
            if (!Utf8.IsValid(value.Of(body)))
            {
                error = "invalid UTF-8 in a label value";
                return value.Start;
            }
            if (count == labels.Length)
            {
                Array.Resize(ref labels, labels.Length * 2);
            }
            labels[count++] = new LabelToken(name, value);
            afterComma = AfterPair(body, ref position, openMetrics);
            expectName = afterComma || !openMetrics;
        }
    }

    /// <summary>Consumes blanks (text format) and the comma after a label; true when there was a comma.</summary>
    private static bool AfterPair(ReadOnlySpan<byte> body, ref int position, bool openMetrics)
    {
        if (!openMetrics)
        {
            position = ExpositionSyntax.SkipBlanks(body, position);
        }
        if (position < body.Length && body[position] == ',')
        {
            position++;
            return true;
        }
        return false;
    }

    /// <summary>The position of a repeated label name or of a <c>__name__</c> label (the name is the metric's), or -1.</summary>
    private static int FindInvalidName(ReadOnlySpan<byte> body, ReadOnlySpan<LabelToken> labels, out string? error)
    {
        for (var i = 0; i < labels.Length; i++)
        {
            var name = labels[i].Name.Of(body);
            if (name.SequenceEqual("__name__"u8))
            {
                error = "__name__ given as a label";
                return labels[i].Name.Start;
            }
            for (var j = 0; j < i; j++)
            {
                if (labels[j].Name.Length == name.Length && labels[j].Name.Of(body).SequenceEqual(name))
                {
                    error = "duplicate label name";
                    return labels[i].Name.Start;
                }
            }
        }
        error = null;
        return -1;
    }
}
