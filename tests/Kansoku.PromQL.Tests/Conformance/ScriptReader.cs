using System.Globalization;
using System.Text;
using Kansoku.Core.Labels;
using Kansoku.Storage.Metrics;

namespace Kansoku.PromQL.Tests.Conformance;

/// <summary>
/// Reads Prometheus' <c>.test</c> scripts (promqltest) into commands, as /work/shared/conformance/promql/FORMAT.md
/// describes: blocks end at a blank or comment line, value sequences expand their shorthands, durations use
/// Prometheus' units. Expressions are kept as text for the engine's own parser.
/// </summary>
internal static class ScriptReader
{
    public static IReadOnlyList<ScriptCommand> Read(string path) => Parse(File.ReadAllLines(path), Path.GetFileName(path));

    public static IReadOnlyList<ScriptCommand> Parse(IReadOnlyList<string> rawLines, string name)
    {
        var lines = new string[rawLines.Count];
        for (var i = 0; i < lines.Length; i++)
        {
            var line = rawLines[i].Trim();
            lines[i] = line.StartsWith('#') ? "" : line;
        }
        var commands = new List<ScriptCommand>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }
            if (FirstWord(lines[i], out _) == "clear")
            {
                // A one-line command: upstream files put an eval right under it without a blank line.
                commands.Add(new ClearCommand(i + 1));
                continue;
            }
            var blockEnd = i + 1;
            while (blockEnd < lines.Length && lines[blockEnd].Length > 0)
            {
                blockEnd++;
            }
            var body = lines.AsSpan(i + 1, blockEnd - i - 1);
            try
            {
                commands.Add(ParseCommand(i + 1, lines[i], body));
            }
            catch (FormatException e)
            {
                throw new FormatException($"{name}:{i + 1}: {e.Message}", e);
            }
            i = blockEnd - 1;
        }
        return commands;
    }

    private static ScriptCommand ParseCommand(int line, string header, ReadOnlySpan<string> body)
    {
        var word = FirstWord(header, out var rest);
        return word switch
        {
            "load" => ParseLoad(line, rest, body, derivesCustomBuckets: false),
            "load_with_nhcb" => ParseLoad(line, rest, body, derivesCustomBuckets: true),
            "eval" or "eval_fail" or "eval_warn" or "eval_info" or "eval_ordered" => ParseEval(line, word, rest, body),
            _ => throw new FormatException($"unknown command '{word}'"),
        };
    }

    private static LoadCommand ParseLoad(int line, string interval, ReadOnlySpan<string> body, bool derivesCustomBuckets)
    {
        var intervalMs = ParseDuration(interval.Trim());
        var series = new List<LoadedSeries>();
        var histogramNames = new List<string>();
        var hasStartTimestamps = false;
        foreach (var dataLine in body)
        {
            var (labels, values, isStartTimestamps) = SplitSeriesLine(dataLine);
            if (isStartTimestamps)
            {
                hasStartTimestamps = true;
                continue;
            }
            var sequence = ExpandSequence(values);
            if (ContainsHistogram(sequence))
            {
                histogramNames.Add(labels.Get(LabelNames.MetricName));
            }
            series.Add(new LoadedSeries(labels, sequence));
        }
        return new LoadCommand(line, intervalMs, derivesCustomBuckets, series, histogramNames, hasStartTimestamps);
    }

    private static EvalCommand ParseEval(int line, string command, string header, ReadOnlySpan<string> body)
    {
        var kind = FirstWord(header, out var rest);
        bool isRange;
        long start, end, step = 0;
        string expression;
        if (kind == "instant")
        {
            Expect(FirstWord(rest, out rest), "at");
            start = end = ParseDuration(FirstWord(rest, out expression));
            isRange = false;
        }
        else if (kind == "range")
        {
            Expect(FirstWord(rest, out rest), "from");
            start = ParseDuration(FirstWord(rest, out rest));
            Expect(FirstWord(rest, out rest), "to");
            end = ParseDuration(FirstWord(rest, out rest));
            Expect(FirstWord(rest, out rest), "step");
            step = ParseDuration(FirstWord(rest, out expression));
            isRange = true;
            if (end < start)
            {
                throw new FormatException("range end before start");
            }
        }
        else
        {
            throw new FormatException($"expected 'instant' or 'range', got '{kind}'");
        }

        var expectations = new EvalExpectations
        {
            Fail = command == "eval_fail",
            Warnings = command == "eval_warn" ? [new AnnotationExpectation(null, null)] : [],
            Infos = command == "eval_info" ? [new AnnotationExpectation(null, null)] : [],
            Ordered = command == "eval_ordered",
        };
        var series = new List<ExpectedSeries>();
        double? scalar = null;
        var expectsHistograms = false;
        foreach (var resultLine in body)
        {
            var word = FirstWord(resultLine, out var tail);
            if (word == "expect")
            {
                expectations = ParseExpectation(tail, expectations);
                continue;
            }
            if (word is "expected_fail_message" or "expected_fail_regexp")
            {
                expectations = word == "expected_fail_message"
                    ? expectations with { FailMessage = tail.Trim() }
                    : expectations with { FailPattern = tail.Trim() };
                continue;
            }
            if (tail.Trim().Length == 0 && TryParseScalarResult(word, out var value))
            {
                scalar = value;
                continue;
            }
            var (labels, values, _) = SplitSeriesLine(resultLine);
            var sequence = ExpandSequence(values);
            expectsHistograms |= ContainsHistogram(sequence);
            series.Add(new ExpectedSeries(labels, sequence));
        }
        return new EvalCommand(line, isRange, start, end, step, expression.Trim(), expectations, series, scalar, expectsHistograms);
    }

    private static EvalExpectations ParseExpectation(string text, EvalExpectations current)
    {
        var kind = FirstWord(text, out var rest);
        rest = rest.Trim();
        string? message = null, pattern = null;
        if (rest.StartsWith("msg:", StringComparison.Ordinal))
        {
            message = rest["msg:".Length..].Trim();
        }
        else if (rest.StartsWith("regex:", StringComparison.Ordinal))
        {
            pattern = rest["regex:".Length..].Trim();
        }
        switch (kind)
        {
            case "fail":
                return current with { Fail = true, FailMessage = message, FailPattern = pattern };
            case "warn":
                return current with { Warnings = [.. current.Warnings, new AnnotationExpectation(message, pattern)] };
            case "info":
                return current with { Infos = [.. current.Infos, new AnnotationExpectation(message, pattern)] };
            case "no_warn":
                return current with { NoWarnings = true };
            case "no_info":
                return current with { NoInfos = true };
            case "ordered":
                return current with { Ordered = true };
            case "string":
                return current with { String = UnquoteGoString(rest) };
            case "range":
                Expect(FirstWord(rest, out rest), "vector");
                Expect(FirstWord(rest, out rest), "from");
                var start = ParseDuration(FirstWord(rest, out rest));
                Expect(FirstWord(rest, out rest), "to");
                var end = ParseDuration(FirstWord(rest, out rest));
                Expect(FirstWord(rest, out rest), "step");
                var step = ParseDuration(rest.Trim());
                return current with { RangeVector = (start, end, step) };
            default:
                throw new FormatException($"unknown expectation '{kind}'");
        }
    }

    /// <summary>
    /// Splits a data or result line into its series (PromQL selector syntax, equality only, quoted names allowed) and
    /// its value-sequence text; <c>name@st</c> marks a start-timestamp line.
    /// </summary>
    private static (LabelSet Labels, string Values, bool IsStartTimestamps) SplitSeriesLine(string line)
    {
        var labels = new List<Label>();
        var position = 0;
        while (position < line.Length && IsNameChar(line[position]))
        {
            position++;
        }
        if (position > 0)
        {
            labels.Add(new Label(LabelNames.MetricName, line[..position]));
        }
        if (position < line.Length && line[position] == '{')
        {
            position = ParseLabelBlock(line, position + 1, labels);
        }
        if (position == 0)
        {
            throw new FormatException($"no series in '{line}'");
        }
        var isStartTimestamps = line.AsSpan(position).StartsWith("@st", StringComparison.Ordinal);
        if (isStartTimestamps)
        {
            position += 3;
        }
        return (LabelSet.From(labels), line[position..].Trim(), isStartTimestamps);
    }

    /// <summary>Reads <c>name="value", "quoted.name", ...}</c> after the opening brace; returns the index after the closing one.</summary>
    private static int ParseLabelBlock(string line, int position, List<Label> labels)
    {
        while (true)
        {
            position = SkipSpaces(line, position);
            if (position >= line.Length)
            {
                throw new FormatException($"unterminated label set in '{line}'");
            }
            if (line[position] == '}')
            {
                return position + 1;
            }
            string name;
            if (line[position] is '"' or '\'' or '`')
            {
                (name, position) = ReadQuoted(line, position);
            }
            else
            {
                var nameStart = position;
                while (position < line.Length && IsNameChar(line[position]))
                {
                    position++;
                }
                name = line[nameStart..position];
            }
            position = SkipSpaces(line, position);
            if (position < line.Length && line[position] == '=')
            {
                position = SkipSpaces(line, position + 1);
                (var value, position) = ReadQuoted(line, position);
                labels.Add(new Label(name, value));
            }
            else
            {
                // A lone quoted string is the metric name (Prometheus 3's {"my.metric", job="x"}).
                labels.Add(new Label(LabelNames.MetricName, name));
            }
            position = SkipSpaces(line, position);
            if (position < line.Length && line[position] == ',')
            {
                position++;
            }
        }
    }

    private static (string Text, int Next) ReadQuoted(string line, int position)
    {
        var quote = line[position];
        if (quote is not ('"' or '\'' or '`'))
        {
            throw new FormatException($"expected a quoted string at {position + 1} in '{line}'");
        }
        var text = new StringBuilder();
        for (var i = position + 1; i < line.Length; i++)
        {
            var c = line[i];
            if (c == quote)
            {
                return (text.ToString(), i + 1);
            }
            if (c == '\\' && quote != '`' && i + 1 < line.Length)
            {
                i = AppendEscape(line, i + 1, text);
                continue;
            }
            text.Append(c);
        }
        throw new FormatException($"unterminated string in '{line}'");
    }

    /// <summary>Appends the Go escape starting at <paramref name="index"/> (after the backslash); returns its last index.</summary>
    private static int AppendEscape(string text, int index, StringBuilder output)
    {
        var c = text[index];
        switch (c)
        {
            case 'n': output.Append('\n'); return index;
            case 't': output.Append('\t'); return index;
            case 'r': output.Append('\r'); return index;
            case 'a': output.Append('\a'); return index;
            case 'b': output.Append('\b'); return index;
            case 'f': output.Append('\f'); return index;
            case 'v': output.Append('\v'); return index;
            case 'x':
                output.Append((char)int.Parse(text.AsSpan(index + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                return index + 2;
            case 'u':
                output.Append((char)int.Parse(text.AsSpan(index + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                return index + 4;
            case 'U':
                output.Append(char.ConvertFromUtf32(int.Parse(text.AsSpan(index + 1, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
                return index + 8;
            case >= '0' and <= '7':
                output.Append((char)Convert.ToInt32(text.Substring(index, 3), 8));
                return index + 2;
            default:
                output.Append(c);
                return index;
        }
    }

    private static string UnquoteGoString(string literal)
    {
        var (text, next) = ReadQuoted(literal, 0);
        if (next != literal.Length)
        {
            throw new FormatException($"trailing text after string {literal}");
        }
        return text;
    }

    /// <summary>Expands a value sequence: <c>v</c>, <c>_</c>, <c>_xN</c>, <c>vxN</c>, <c>a+bxN</c>, <c>a-bxN</c>, <c>stale</c>, <c>{{...}}</c>.</summary>
    internal static List<SequenceValue> ExpandSequence(string text)
    {
        var values = new List<SequenceValue>();
        var position = 0;
        while (true)
        {
            position = SkipSpaces(text, position);
            if (position >= text.Length)
            {
                return values;
            }
            if (text.AsSpan(position).StartsWith("{{", StringComparison.Ordinal))
            {
                position = ExpandHistogramItem(text, position, values);
                continue;
            }
            var end = position;
            while (end < text.Length && !char.IsWhiteSpace(text[end]))
            {
                end++;
            }
            ExpandFloatItem(text[position..end], values);
            position = end;
        }
    }

    private static void ExpandFloatItem(string item, List<SequenceValue> values)
    {
        if (item == "stale")
        {
            values.Add(SequenceValue.Float(StaleMarker.Value));
            return;
        }
        var repeat = -1;
        var repeatAt = item.LastIndexOf('x');
        if (repeatAt > 0 && int.TryParse(item.AsSpan(repeatAt + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var times))
        {
            repeat = times;
            item = item[..repeatAt];
        }
        if (item == "_")
        {
            for (var i = 0; i < Math.Max(repeat, 1); i++)
            {
                values.Add(SequenceValue.Empty);
            }
            return;
        }
        if (repeat < 0)
        {
            values.Add(SequenceValue.Float(ParseFloat(item)));
            return;
        }
        var operatorAt = FindIncrementOperator(item);
        var start = ParseFloat(operatorAt < 0 ? item : item[..operatorAt]);
        var increment = operatorAt < 0 ? 0 : ParseFloat(item[(operatorAt + 1)..]);
        if (operatorAt >= 0 && item[operatorAt] == '-')
        {
            increment = -increment;
        }
        var current = start;
        for (var i = 0; i <= repeat; i++)
        {
            values.Add(SequenceValue.Float(current));
            current += increment;
        }
    }

    /// <summary>The '+' or '-' between start and increment: not a leading sign and not an exponent's sign.</summary>
    private static int FindIncrementOperator(string item)
    {
        for (var i = 1; i < item.Length; i++)
        {
            if (item[i] is '+' or '-' && item[i - 1] is not ('e' or 'E'))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Histogram items are not interpreted (the engine is float-only): one value per expanded copy.</summary>
    private static int ExpandHistogramItem(string text, int position, List<SequenceValue> values)
    {
        var end = position;
        while (true)
        {
            var close = text.IndexOf("}}", end, StringComparison.Ordinal);
            if (close < 0)
            {
                throw new FormatException($"unterminated histogram in '{text}'");
            }
            end = close + 2;
            if (end + 2 < text.Length && text[end] is '+' or '-' && text[end + 1] == '{')
            {
                continue;
            }
            break;
        }
        var repeat = 0;
        if (end < text.Length && text[end] == 'x')
        {
            var digitsEnd = end + 1;
            while (digitsEnd < text.Length && char.IsAsciiDigit(text[digitsEnd]))
            {
                digitsEnd++;
            }
            repeat = int.Parse(text.AsSpan(end + 1, digitsEnd - end - 1), CultureInfo.InvariantCulture);
            end = digitsEnd;
        }
        var literal = text[position..end];
        for (var i = 0; i <= repeat; i++)
        {
            values.Add(SequenceValue.Histogram(literal));
        }
        return end;
    }

    /// <summary>A Prometheus float: decimal or scientific, '_' digit groups, Inf / NaN in any case, optional sign.</summary>
    internal static double ParseFloat(string text)
    {
        var cleaned = text.Replace("_", "", StringComparison.Ordinal);
        var unsigned = cleaned.TrimStart('+', '-');
        var negative = cleaned.StartsWith('-');
        if (unsigned.Equals("inf", StringComparison.OrdinalIgnoreCase))
        {
            return negative ? double.NegativeInfinity : double.PositiveInfinity;
        }
        if (unsigned.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            return double.NaN;
        }
        if (!double.TryParse(cleaned, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw new FormatException($"not a number: '{text}'");
        }
        return value;
    }

    /// <summary>A bare scalar result: an integer with Go's base prefixes (0x hex), else a float.</summary>
    private static bool TryParseScalarResult(string text, out double value)
    {
        var unsigned = text.TrimStart('+', '-');
        if (unsigned.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            && long.TryParse(unsigned.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var hex))
        {
            value = text.StartsWith('-') ? -hex : hex;
            return true;
        }
        try
        {
            value = ParseFloat(text);
            return true;
        }
        catch (FormatException)
        {
            value = 0;
            return false;
        }
    }

    /// <summary>A Prometheus duration: <c>&lt;integer&gt;&lt;unit&gt;</c> parts, units y w d h m s ms, or a bare 0; in milliseconds.</summary>
    internal static long ParseDuration(string text)
    {
        if (text == "0")
        {
            return 0;
        }
        long total = 0;
        var position = 0;
        var negative = text.StartsWith('-');
        if (negative)
        {
            position = 1;
        }
        if (position >= text.Length)
        {
            throw new FormatException($"not a duration: '{text}'");
        }
        while (position < text.Length)
        {
            var digitsStart = position;
            while (position < text.Length && char.IsAsciiDigit(text[position]))
            {
                position++;
            }
            if (position == digitsStart)
            {
                throw new FormatException($"not a duration: '{text}'");
            }
            var number = long.Parse(text.AsSpan(digitsStart, position - digitsStart), CultureInfo.InvariantCulture);
            var unitStart = position;
            while (position < text.Length && char.IsAsciiLetter(text[position]))
            {
                position++;
            }
            total += number * (text[unitStart..position] switch
            {
                "y" => 365L * 24 * 3600 * 1000,
                "w" => 7L * 24 * 3600 * 1000,
                "d" => 24L * 3600 * 1000,
                "h" => 3600L * 1000,
                "m" => 60L * 1000,
                "s" => 1000L,
                "ms" => 1L,
                _ => throw new FormatException($"not a duration: '{text}'"),
            });
        }
        return negative ? -total : total;
    }

    private static bool ContainsHistogram(List<SequenceValue> values)
    {
        foreach (var value in values)
        {
            if (value.Kind == SequenceValueKind.Histogram)
            {
                return true;
            }
        }
        return false;
    }

    private static string FirstWord(string text, out string rest)
    {
        var start = SkipSpaces(text, 0);
        var end = start;
        while (end < text.Length && !char.IsWhiteSpace(text[end]))
        {
            end++;
        }
        rest = text[end..];
        return text[start..end];
    }

    private static void Expect(string actual, string expected)
    {
        if (actual != expected)
        {
            throw new FormatException($"expected '{expected}', got '{actual}'");
        }
    }

    private static int SkipSpaces(string text, int position)
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
        {
            position++;
        }
        return position;
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or ':';
}
