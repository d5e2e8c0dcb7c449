using System.Text.Unicode;

namespace Kansoku.Scrape.TextParse;

/// <summary>
/// The Prometheus text format 0.0.4 (and 1.0.0, which adds quoted UTF-8 names), read as Prometheus' promlex/promparse
/// read it: blanks may stand between any two tokens and at line ends, blank lines and <c>#</c> comments are allowed,
/// <c># HELP</c> and <c># TYPE</c> need a blank after the keyword, a value is any run of bytes up to a blank or line feed
/// that parses as a float, and a timestamp is a run of digits (milliseconds). The last line needs no line feed.
/// </summary>
internal sealed class PrometheusTextParser(ReadOnlyMemory<byte> body) : ExpositionParser(body)
{
    // The family named by the last # TYPE, so that le and quantile values are normalised only on its own series.
    private ByteToken _typedFamily = ByteToken.None;
    private MetricType _typedFamilyType;

    private protected override bool HelpUnescapesQuotes => false;

    public override ExpositionEntry Next()
    {
        var body = Body;
        while (true)
        {
            var position = ExpositionSyntax.SkipBlanks(body, _position);
            // Prometheus' lexer reads a NUL where a line may start as the end of the input.
            if (position >= body.Length || body[position] == 0)
            {
                _position = body.Length;
                return ExpositionEntry.EndOfInput;
            }
            switch (body[position])
            {
                case (byte)'\n':
                    _position = position + 1;
                    continue;
                case (byte)'#':
                    return ReadComment(body, position);
                default:
                    ReadSeries(body, position);
                    return ExpositionEntry.Series;
            }
        }
    }

    private ExpositionEntry ReadComment(ReadOnlySpan<byte> body, int hash)
    {
        var keyword = ExpositionSyntax.SkipBlanks(body, hash + 1);
        var lineEnd = ExpositionSyntax.LineEnd(body, hash);
        if (keyword > hash + 1 && keyword + 4 < lineEnd && ExpositionSyntax.IsBlank(body[keyword + 4]))
        {
            var word = body.Slice(keyword, 4);
            if (word.SequenceEqual("HELP"u8))
            {
                ReadMetadata(body, keyword + 4, lineEnd, help: true);
                return ExpositionEntry.Help;
            }
            if (word.SequenceEqual("TYPE"u8))
            {
                ReadMetadata(body, keyword + 4, lineEnd, help: false);
                return ExpositionEntry.Type;
            }
        }
        _position = lineEnd + 1;
        return ExpositionEntry.Comment;
    }

    private void ReadMetadata(ReadOnlySpan<byte> body, int afterKeyword, int lineEnd, bool help)
    {
        var position = ExpositionSyntax.SkipBlanks(body, afterKeyword);
        int nameEnd;
        if (position < lineEnd && body[position] == '"')
        {
            nameEnd = ExpositionSyntax.ScanQuoted(body, position, allowNewline: false, out _family);
            if (nameEnd < 0 || nameEnd > lineEnd)
            {
                Fail(position, "unterminated quoted metric name");
            }
        }
        else
        {
            nameEnd = ExpositionSyntax.ScanMetricName(body, position);
            if (nameEnd == position)
            {
                Fail(position, help ? "expected metric name after HELP" : "expected metric name after TYPE");
            }
            _family = new ByteToken(position, nameEnd - position, false);
        }

        // As in Prometheus, the text is the rest of the line less its first byte (the blank after the name).
        var textStart = Math.Min(nameEnd + 1, lineEnd);
        var text = body[textStart..lineEnd];
        _text = new ByteToken(textStart, text.Length, text.Contains((byte)'\\'));
        if (help)
        {
            if (!Utf8.IsValid(text))
            {
                Fail(textStart, "help text is not valid UTF-8");
            }
        }
        else
        {
            var type = ParseType(text);
            if (type is null)
            {
                Fail(textStart, "invalid metric type");
            }
            _type = type.Value;
            _typedFamily = _family;
            _typedFamilyType = type.Value;
        }
        _position = lineEnd + 1;
    }

    private static MetricType? ParseType(ReadOnlySpan<byte> text) => text switch
    {
        _ when text.SequenceEqual("counter"u8) => MetricType.Counter,
        _ when text.SequenceEqual("gauge"u8) => MetricType.Gauge,
        _ when text.SequenceEqual("histogram"u8) => MetricType.Histogram,
        _ when text.SequenceEqual("summary"u8) => MetricType.Summary,
        _ when text.SequenceEqual("untyped"u8) => MetricType.Unknown,
        _ => null,
    };

    private void ReadSeries(ReadOnlySpan<byte> body, int start)
    {
        _seriesStart = start;
        _labelCount = 0;
        _metricName = ByteToken.None;
        int position;
        if (body[start] == '{')
        {
            position = ReadLabels(body, start + 1, openMetrics: false);
            _seriesEnd = position;
        }
        else
        {
            var nameEnd = ExpositionSyntax.ScanMetricName(body, start);
            if (nameEnd == start)
            {
                Fail(start, "expected a metric name, a comment or a blank line");
            }
            _metricName = new ByteToken(start, nameEnd - start, false);
            _seriesEnd = nameEnd;
            position = ExpositionSyntax.SkipBlanks(body, nameEnd);
            if (position < body.Length && body[position] == '{')
            {
                position = ReadLabels(body, position + 1, openMetrics: false);
                _seriesEnd = position;
            }
        }
        if (!_metricName.IsPresent)
        {
            Fail(start, "metric name not set");
        }

        position = ExpositionSyntax.SkipBlanks(body, position);
        var valueEnd = ValueEnd(body, position);
        if (valueEnd == position)
        {
            Fail(position, "expected value after metric");
        }
        if (!ExpositionSyntax.TryParseNumber(body[position..valueEnd], out _value))
        {
            Fail(position, "invalid value");
        }
        if (double.IsNaN(_value))
        {
            _value = ExpositionSyntax.NormalNaN;
        }

        _timestampMs = null;
        position = ExpositionSyntax.SkipBlanks(body, valueEnd);
        if (position < body.Length && body[position] != '\n')
        {
            if (!ExpositionSyntax.IsDigit(body[position]))
            {
                Fail(position, "expected timestamp or end of line");
            }
            var timestampStart = position;
            long timestamp = 0;
            while (position < body.Length && ExpositionSyntax.IsDigit(body[position]))
            {
                if (timestamp > (long.MaxValue - 9) / 10)
                {
                    Fail(timestampStart, "timestamp out of range");
                }
                timestamp = (timestamp * 10) + (body[position] - '0');
                position++;
            }
            _timestampMs = timestamp;
            position = ExpositionSyntax.SkipBlanks(body, position);
            if (position < body.Length && body[position] != '\n')
            {
                Fail(position, "expected end of line after timestamp");
            }
        }
        _position = position + 1;
        // le and quantile stay as written: Prometheus 2 (Debian's 2.42, what users migrate from) stores them so, and
        // dashboards and alerts match those spellings; only Prometheus 3 rewrites them for the text format.
        _floatLabel = FloatLabel.None;
    }

    /// <summary>A value runs to a blank, a line feed or a brace, as promlex's <c>[^{ \t\n]+</c>.</summary>
    private static int ValueEnd(ReadOnlySpan<byte> body, int position)
    {
        var length = body[position..].IndexOfAny(" \t\n{"u8);
        return length < 0 ? body.Length : position + length;
    }
}
