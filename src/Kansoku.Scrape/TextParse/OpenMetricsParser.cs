using System.Text.Unicode;

namespace Kansoku.Scrape.TextParse;

/// <summary>
/// OpenMetrics 1.0 text, as strict as the OpenMetrics conformance suite wants: single blanks as separators, no blank
/// lines, only <c># HELP</c>, <c># TYPE</c>, <c># UNIT</c> and a final <c># EOF</c> (with at most a line feed after it),
/// timestamps in seconds (given here in milliseconds), exemplars after <c> # </c>, and the family rules of
/// <see cref="OpenMetricsParser"/>'s other part (suffixes, grouping, histogram consistency, value ranges).
/// </summary>
/// <param name="skipCreatedSeries">
/// Whether <c>_created</c> samples of counters, histograms and summaries are consumed without being returned (Prometheus'
/// <c>WithOMParserSTSeriesSkipped</c>, for a scrape loop that stores them through <see cref="CreatedTimestampMs"/>).
/// </param>
internal sealed partial class OpenMetricsParser(ReadOnlyMemory<byte> body, bool skipCreatedSeries = false) : ExpositionParser(body)
{
    /// <summary>OpenMetrics' limit on an exemplar's label names and values together, in code points.</summary>
    private const int ExemplarLabelCharacterLimit = 128;

    private bool _ended;
    private bool _atSeries;
    private int _exemplarLabelCount;
    private bool _hasExemplar;
    private double _exemplarValue;
    private long? _exemplarTimestampMs;

    private protected override bool HelpUnescapesQuotes => true;

    public override ExpositionEntry Next()
    {
        _atSeries = false;
        if (_ended)
        {
            return ExpositionEntry.EndOfInput;
        }
        var body = Body;
        while (true)
        {
            var position = _position;
            if (position >= body.Length)
            {
                Fail(position, "missing # EOF at the end of the input");
            }
            switch (body[position])
            {
                case (byte)'\n':
                    Fail(position, "blank line");
                    break;
                case (byte)'#':
                    return ReadMetadata(body, position);
                default:
                    if (ReadSample(body, position))
                    {
                        _atSeries = true;
                        return ExpositionEntry.Series;
                    }
                    break;
            }
        }
    }

    public override bool TryGetExemplar(out Exemplar exemplar)
    {
        if (!_atSeries || !_hasExemplar)
        {
            exemplar = default;
            return false;
        }
        exemplar = new Exemplar(BuildLabels(_labels.AsSpan(_labelCount, _exemplarLabelCount)), _exemplarValue, _exemplarTimestampMs);
        return true;
    }

    private ExpositionEntry ReadMetadata(ReadOnlySpan<byte> body, int start)
    {
        var lineEnd = ExpositionSyntax.LineEnd(body, start);
        var line = body[start..lineEnd];
        if (line.SequenceEqual("# EOF"u8))
        {
            if (lineEnd + 1 < body.Length)
            {
                Fail(lineEnd + 1, "text after # EOF");
            }
            FinishFamily(start);
            _ended = true;
            _position = body.Length;
            return ExpositionEntry.EndOfInput;
        }

        var entry = line.Length > 7 && line[..2].SequenceEqual("# "u8) && line[6] == ' ' ? line[2..6] switch
        {
            _ when line[2..6].SequenceEqual("HELP"u8) => ExpositionEntry.Help,
            _ when line[2..6].SequenceEqual("TYPE"u8) => ExpositionEntry.Type,
            _ when line[2..6].SequenceEqual("UNIT"u8) => ExpositionEntry.Unit,
            _ => ExpositionEntry.Comment,
        } : ExpositionEntry.Comment;
        if (entry == ExpositionEntry.Comment)
        {
            Fail(start, "expected '# HELP', '# TYPE', '# UNIT' or '# EOF'");
        }

        var nameStart = start + 7;
        int nameEnd;
        ByteToken name;
        if (body[nameStart] == '"')
        {
            nameEnd = ExpositionSyntax.ScanQuoted(body, nameStart, allowNewline: false, out name);
            if (nameEnd < 0)
            {
                Fail(nameStart, "unterminated quoted metric name");
            }
        }
        else
        {
            nameEnd = ExpositionSyntax.ScanMetricName(body, nameStart);
            name = new ByteToken(nameStart, nameEnd - nameStart, false);
            if (nameEnd == nameStart)
            {
                Fail(nameStart, "expected metric name");
            }
        }
        if (nameEnd >= lineEnd || body[nameEnd] != ' ')
        {
            Fail(nameEnd, "expected a blank after the metric name");
        }
        var textStart = nameEnd + 1;
        var text = body[textStart..lineEnd];

        BeginMetadata(body, name, start);
        _family = name;
        switch (entry)
        {
            case ExpositionEntry.Help:
                if (!Utf8.IsValid(text))
                {
                    Fail(textStart, "help text is not valid UTF-8");
                }
                SetHelp(start);
                break;
            case ExpositionEntry.Type:
                SetType(start, ParseType(text) ?? throw Error(body, textStart, "invalid metric type"));
                break;
            default:
                SetUnit(start, new ByteToken(textStart, text.Length, false));
                break;
        }
        _text = new ByteToken(textStart, text.Length, text.Contains((byte)'\\'));
        _type = _familyType;
        _position = Math.Min(lineEnd + 1, body.Length);
        return entry;
    }

    private static MetricType? ParseType(ReadOnlySpan<byte> text) => text switch
    {
        _ when text.SequenceEqual("counter"u8) => MetricType.Counter,
        _ when text.SequenceEqual("gauge"u8) => MetricType.Gauge,
        _ when text.SequenceEqual("histogram"u8) => MetricType.Histogram,
        _ when text.SequenceEqual("gaugehistogram"u8) => MetricType.GaugeHistogram,
        _ when text.SequenceEqual("summary"u8) => MetricType.Summary,
        _ when text.SequenceEqual("info"u8) => MetricType.Info,
        _ when text.SequenceEqual("stateset"u8) => MetricType.StateSet,
        _ when text.SequenceEqual("unknown"u8) => MetricType.Unknown,
        _ => null,
    };

    /// <summary>Reads and checks one sample line; false when it is a <c>_created</c> sample that is to be skipped.</summary>
    private bool ReadSample(ReadOnlySpan<byte> body, int start)
    {
        var faultAt = TryReadSampleLine(body, start, ref _labels, out var line, out var error);
        if (error is not null)
        {
            Fail(faultAt, error);
        }

        if (!ExpositionSyntax.TryParseNumber(line.Value.Of(body), out _value))
        {
            Fail(line.Value.Start, "invalid value");
        }
        if (double.IsNaN(_value))
        {
            _value = ExpositionSyntax.NormalNaN;
        }
        double? timestampSeconds = line.Timestamp.IsPresent ? ParseTimestamp(body, line.Timestamp) : null;
        _timestampMs = timestampSeconds is { } seconds ? ToMilliseconds(seconds) : null;

        _hasExemplar = line.HasExemplar;
        if (line.HasExemplar)
        {
            ReadExemplar(body, line);
        }

        _metricName = line.Name;
        _labelCount = line.LabelCount;
        _seriesStart = start;
        _seriesEnd = line.SeriesEnd;
        _position = line.LineEnd + 1;

        var suffix = CheckSample(body, start, line, timestampSeconds);
        _type = _familyType;
        _floatLabel = suffix == Suffix.Bucket ? FloatLabel.Le
            : _familyType == MetricType.Summary && suffix == Suffix.None ? FloatLabel.Quantile
            : FloatLabel.None;
        return !(skipCreatedSeries && suffix == Suffix.Created);
    }

    private void ReadExemplar(ReadOnlySpan<byte> body, in SampleLine line)
    {
        _exemplarLabelCount = line.ExemplarLabelCount;
        var characters = 0;
        foreach (var label in _labels.AsSpan(line.LabelCount, line.ExemplarLabelCount))
        {
            characters += CharacterCount(label.Name.Of(body)) + CharacterCount(label.Value.Of(body));
        }
        if (characters > ExemplarLabelCharacterLimit)
        {
            Fail(line.ExemplarValue.Start, "exemplar labels longer than 128 characters");
        }
        if (!ExpositionSyntax.TryParseNumber(line.ExemplarValue.Of(body), out _exemplarValue))
        {
            Fail(line.ExemplarValue.Start, "invalid exemplar value");
        }
        _exemplarTimestampMs = line.ExemplarTimestamp.IsPresent ? ToMilliseconds(ParseTimestamp(body, line.ExemplarTimestamp)) : null;
    }

    private double ParseTimestamp(ReadOnlySpan<byte> body, ByteToken token)
    {
        if (!ExpositionSyntax.TryParseNumber(token.Of(body), out var seconds) || !double.IsFinite(seconds))
        {
            Fail(token.Start, "invalid timestamp");
        }
        return seconds;
    }

    /// <summary>Seconds to milliseconds, truncated as Prometheus' <c>int64(ts*1000)</c>; out-of-range values saturate.</summary>
    private static long ToMilliseconds(double seconds) => (long)(seconds * 1000.0);

    /// <summary>Code points in an escaped label name or value, an escape pair counting as the one it stands for.</summary>
    private static int CharacterCount(ReadOnlySpan<byte> text)
    {
        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is (byte)'\\' or (byte)'n' or (byte)'"')
            {
                i++;
            }
            else if ((text[i] & 0xC0) == 0x80)
            {
                continue;
            }
            count++;
        }
        return count;
    }

    /// <summary>One sample line's pieces as positions; the labels are in the array given to <see cref="TryReadSampleLine"/>.</summary>
    private readonly record struct SampleLine(
        ByteToken Name,
        int LabelCount,
        int SeriesEnd,
        ByteToken Value,
        ByteToken Timestamp,
        bool HasExemplar,
        int ExemplarLabelCount,
        ByteToken ExemplarValue,
        ByteToken ExemplarTimestamp,
        int LineEnd);

    /// <summary>
    /// Splits a sample line (<c>name{labels} value [timestamp] [# {labels} value [timestamp]]</c>) without judging its
    /// numbers, so that the look-ahead for <c>_created</c> can use it too. Returns the fault's position with
    /// <paramref name="error"/> set, or -1.
    /// </summary>
    private static int TryReadSampleLine(ReadOnlySpan<byte> body, int start, ref LabelToken[] labels, out SampleLine line,
        out string? error)
    {
        line = default;
        var count = 0;
        var name = ByteToken.None;
        int position;
        if (body[start] == '{')
        {
            position = LabelReader.Read(body, start + 1, openMetrics: true, ref labels, ref count, ref name, out error);
            if (error is not null)
            {
                return position;
            }
        }
        else
        {
            position = ExpositionSyntax.ScanMetricName(body, start);
            if (position == start)
            {
                error = "expected a metric name";
                return start;
            }
            name = new ByteToken(start, position - start, false);
            if (position < body.Length && body[position] == '{')
            {
                position = LabelReader.Read(body, position + 1, openMetrics: true, ref labels, ref count, ref name, out error);
                if (error is not null)
                {
                    return position;
                }
            }
        }
        if (!name.IsPresent)
        {
            error = "metric name not set";
            return start;
        }
        var seriesEnd = position;

        if (!Expect(body, ref position, (byte)' ', "expected a blank before the value", out error))
        {
            return position;
        }
        var value = Word(body, ref position);
        if (value.Length == 0)
        {
            error = "expected a value";
            return position;
        }

        var timestamp = ByteToken.None;
        var exemplarCount = 0;
        var exemplarValue = ByteToken.None;
        var exemplarTimestamp = ByteToken.None;
        var hasExemplar = false;
        if (position < body.Length && body[position] == ' ')
        {
            position++;
            if (position >= body.Length || body[position] != '#')
            {
                timestamp = Word(body, ref position);
                if (timestamp.Length == 0)
                {
                    error = "expected a timestamp";
                    return position;
                }
                if (position < body.Length && body[position] == ' ')
                {
                    position++;
                    if (position >= body.Length || body[position] != '#')
                    {
                        error = "expected '#' before an exemplar";
                        return position;
                    }
                }
            }
            if (position < body.Length && body[position] == '#')
            {
                hasExemplar = true;
                position++;
                if (!Expect(body, ref position, (byte)' ', "expected a blank after '#'", out error)
                    || !Expect(body, ref position, (byte)'{', "expected exemplar labels", out error))
                {
                    return position;
                }
                var exemplarName = ByteToken.None;
                exemplarCount = count;
                position = LabelReader.Read(body, position, openMetrics: true, ref labels, ref exemplarCount, ref exemplarName, out error);
                if (error is not null)
                {
                    return position;
                }
                if (exemplarName.IsPresent)
                {
                    error = "an exemplar has no metric name";
                    return exemplarName.Start;
                }
                exemplarCount -= count;
                if (!Expect(body, ref position, (byte)' ', "expected a blank before the exemplar value", out error))
                {
                    return position;
                }
                exemplarValue = Word(body, ref position);
                if (exemplarValue.Length == 0)
                {
                    error = "expected an exemplar value";
                    return position;
                }
                if (position < body.Length && body[position] == ' ')
                {
                    position++;
                    exemplarTimestamp = Word(body, ref position);
                    if (exemplarTimestamp.Length == 0)
                    {
                        error = "expected an exemplar timestamp";
                        return position;
                    }
                }
            }
        }
        if (position >= body.Length)
        {
            error = "missing # EOF at the end of the input";
            return position;
        }
        if (body[position] != '\n')
        {
            error = "expected end of line";
            return position;
        }
        line = new SampleLine(name, count, seriesEnd, value, timestamp, hasExemplar, exemplarCount, exemplarValue, exemplarTimestamp,
            position);
        error = null;
        return -1;
    }

    private static bool Expect(ReadOnlySpan<byte> body, ref int position, byte expected, string message, out string? error)
    {
        if (position < body.Length && body[position] == expected)
        {
            position++;
            error = null;
            return true;
        }
        error = message;
        return false;
    }

    /// <summary>A value or timestamp: the bytes up to the next blank or line feed.</summary>
    private static ByteToken Word(ReadOnlySpan<byte> body, ref int position)
    {
        var start = position;
        var length = body[start..].IndexOfAny((byte)' ', (byte)'\n');
        position = length < 0 ? body.Length : start + length;
        return new ByteToken(start, position - start, false);
    }
}
