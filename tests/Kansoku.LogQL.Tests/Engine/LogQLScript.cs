using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Kansoku.LogQL.Engine;
using Kansoku.LogQL.Parser;
using Kansoku.Storage.Logs;

namespace Kansoku.LogQL.Tests.Engine;

/// <summary>
/// Runs scripts in the format of Loki's <c>.logqltest</c> files (pkg/logql/internal/logqltest, after Prometheus'
/// promqltest): <c>load</c> blocks of entries, <c>clear</c>, and <c>eval instant at T query</c> /
/// <c>eval range from T0 to T1 step S query</c> with the expected series, <c>expect empty</c>, <c>expect fail</c>
/// or <c>expect ordered</c>. Times are durations from the Unix epoch. Returns one message per failed check.
/// </summary>
internal static partial class LogQLScript
{
    private const double Epsilon = 1e-6;

    /// <param name="skipped">Counts evals skipped because their scenario loads structured metadata, which the store lacks.</param>
    public static List<string> Run(string name, string text, out int skipped, LogQLEngineOptions? options = null)
    {
        skipped = 0;
        var withMetadata = false;
        var failures = new List<string>();
        var querier = new InMemoryLogQuerier();
        var engine = new LogQLEngine(querier, options);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = StripComment(lines[i]).TrimEnd();
            if (line.Length == 0)
            {
                continue;
            }
            if (line == "clear")
            {
                querier.Clear();
                withMetadata = false;
            }
            else if (line == "load")
            {
                while (i + 1 < lines.Length && IsIndented(lines[i + 1]))
                {
                    var entry = StripComment(lines[++i]).Trim();
                    if (entry.Length > 0)
                    {
                        withMetadata |= !Load(querier, entry);
                    }
                }
            }
            else if (line.StartsWith("eval ", StringComparison.Ordinal))
            {
                var expected = new List<string>();
                while (i + 1 < lines.Length && IsIndented(lines[i + 1]))
                {
                    var expectation = StripComment(lines[++i]).Trim();
                    if (expectation.Length > 0)
                    {
                        expected.Add(expectation);
                    }
                }
                if (withMetadata)
                {
                    skipped++;
                    continue;
                }
                var failure = Eval(engine, line, expected);
                if (failure is not null)
                {
                    failures.Add($"{name}:{i + 1}: {line}\n    {failure}");
                }
                if (querier.OpenReaders != 0)
                {
                    failures.Add($"{name}:{i + 1}: {querier.OpenReaders} readers left open");
                }
            }
            else
            {
                throw new FormatException($"{name}:{i + 1}: unknown command {line}");
            }
        }
        return failures;
    }

    /// <summary>Loads the entries of one load line; false (nothing loaded) for entries with structured metadata.</summary>
    private static bool Load(InMemoryLogQuerier querier, string entry)
    {
        var match = LoadLine().Match(entry);
        if (!match.Success)
        {
            throw new FormatException($"bad load line: {entry}");
        }
        var labels = LabelSetParser.Parse(match.Groups["labels"].Value);
        var line = match.Groups["dq"].Success ? match.Groups["dq"].Value : match.Groups["bq"].Value;
        var start = Nanos(match.Groups["at"].Value);
        var step = match.Groups["every"].Success ? Nanos(match.Groups["every"].Value) : 0;
        var count = match.Groups["count"].Success ? int.Parse(match.Groups["count"].Value, CultureInfo.InvariantCulture) : 1;
        if (match.Groups["metadata"].Success)
        {
            return false;
        }
        for (var k = 0; k < count; k++)
        {
            querier.Add(labels, start + (k * step), line.Replace("{{.i}}", k.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        }
        return true;
    }

    private static string? Eval(LogQLEngine engine, string command, List<string> expected)
    {
        QueryResult result;
        var instant = InstantCommand().Match(command);
        var range = RangeCommand().Match(command);
        var expectFail = expected.Count == 1 && expected[0].StartsWith("expect fail", StringComparison.Ordinal);
        long start, end, step;
        string query;
        if (instant.Success)
        {
            start = end = Nanos(instant.Groups["at"].Value);
            step = 0;
            query = instant.Groups["query"].Value;
        }
        else if (range.Success)
        {
            start = Nanos(range.Groups["from"].Value);
            end = Nanos(range.Groups["to"].Value);
            step = Nanos(range.Groups["step"].Value);
            query = range.Groups["query"].Value;
        }
        else
        {
            throw new FormatException($"bad eval: {command}");
        }
        try
        {
            result = instant.Success
                ? engine.QueryInstant(query, start)
                : engine.QueryRange(query, start, end, step, LogDirection.Backward, 100);
        }
        catch (Exception e) when (e is LogQLParseException or LogQLEvaluationException)
        {
            if (!expectFail)
            {
                return $"unexpected error: {e.Message}";
            }
            var message = expected[0]["expect fail".Length..].Trim();
            if (message.StartsWith("msg:", StringComparison.Ordinal) && !e.Message.Contains(message[4..].Trim(), StringComparison.Ordinal))
            {
                return $"error \"{e.Message}\" does not contain \"{message[4..].Trim()}\"";
            }
            if (message.StartsWith("regex:", StringComparison.Ordinal) && !Regex.IsMatch(e.Message, message[6..].Trim()))
            {
                return $"error \"{e.Message}\" does not match {message[6..].Trim()}";
            }
            return null;
        }
        if (expectFail)
        {
            return "expected an error, got a result";
        }
        var ordered = expected.Remove("expect ordered");
        expected.RemoveAll(e => e.StartsWith("skip ", StringComparison.Ordinal));
        var empty = expected.Remove("expect empty");
        if (result is ScalarResult scalar)
        {
            return expected.Count == 1 && Same(ParseValue(expected[0]), scalar.Value) ? null : $"expected {string.Join(" ", expected)}, got scalar {scalar.Value}";
        }
        var actual = Describe(result, start, end, step);
        if (empty)
        {
            return actual.Count == 0 ? null : $"expected no series, got:\n      {string.Join("\n      ", actual.Select(a => a.Text))}";
        }
        var wanted = expected.Select(e => ParseSeries(e, start, end, step)).ToList();
        var unmatched = new List<string>();
        var remaining = actual.ToList();
        for (var w = 0; w < wanted.Count; w++)
        {
            var index = remaining.FindIndex(a => a.Labels.Equals(wanted[w].Labels) && SamePoints(a.Points, wanted[w].Points));
            if (index < 0 || (ordered && actual.IndexOf(remaining[index]) != w))
            {
                unmatched.Add("missing " + expected[w]);
                continue;
            }
            remaining.RemoveAt(index);
        }
        unmatched.AddRange(remaining.Select(r => "unexpected " + r.Text));
        return unmatched.Count == 0 ? null : string.Join("\n    ", unmatched) + "\n    got:\n      " + string.Join("\n      ", actual.Select(a => a.Text));
    }

    private static List<(LabelList Labels, double?[] Points, string Text)> Describe(QueryResult result, long start, long end, long step)
    {
        var steps = step == 0 ? 1 : (int)((end - start) / step) + 1;
        var list = new List<(LabelList, double?[], string)>();
        switch (result)
        {
            case VectorResult vector:
                foreach (var sample in vector.Samples)
                {
                    list.Add((sample.Labels, [sample.Value], $"{sample.Labels} {Format(sample.Value)}"));
                }
                break;
            case MatrixResult matrix:
                foreach (var series in matrix.Series)
                {
                    var points = new double?[steps];
                    foreach (var point in series.Points)
                    {
                        var index = (int)(((point.TimestampMs * 1_000_000) - start) / step);
                        points[index] = point.Value;
                    }
                    list.Add((series.Labels, points, $"{series.Labels} {string.Join(" ", points.Select(p => p is { } v ? Format(v) : "_"))}"));
                }
                break;
            default:
                throw new InvalidOperationException($"unexpected {result.ResultType}");
        }
        return list;
    }

    private static (LabelList Labels, double?[] Points) ParseSeries(string line, long start, long end, long step)
    {
        var close = line.IndexOf('}', StringComparison.Ordinal);
        while (line.Take(close).Count(c => c == '"') % 2 == 1)
        {
            close = line.IndexOf('}', close + 1);
        }
        var labels = LabelSetParser.ParseList(line[..(close + 1)]);
        var points = new List<double?>();
        foreach (var token in line[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (token == "_")
            {
                points.Add(null);
                continue;
            }
            var expansion = Expansion().Match(token);
            if (expansion.Success)
            {
                var value = ParseValue(expansion.Groups["base"].Value);
                var delta = expansion.Groups["delta"].Success ? ParseValue(expansion.Groups["delta"].Value) : 0;
                var count = int.Parse(expansion.Groups["count"].Value, CultureInfo.InvariantCulture);
                for (var k = 0; k <= count; k++)
                {
                    points.Add(value + (k * delta));
                }
                continue;
            }
            points.Add(ParseValue(token));
        }
        var steps = step == 0 ? 1 : (int)((end - start) / step) + 1;
        if (points.Count != steps)
        {
            throw new FormatException($"{line}: {points.Count} points for {steps} steps");
        }
        return (labels, [.. points]);
    }

    private static bool SamePoints(double?[] actual, double?[] expected)
    {
        for (var i = 0; i < actual.Length; i++)
        {
            if (actual[i].HasValue != expected[i].HasValue || (actual[i] is { } a && !Same(expected[i]!.Value, a)))
            {
                return false;
            }
        }
        return true;
    }

    private static bool Same(double expected, double actual)
    {
        if (double.IsNaN(expected) || double.IsNaN(actual))
        {
            return double.IsNaN(expected) && double.IsNaN(actual);
        }
        if (expected == actual)
        {
            return true;
        }
        return Math.Abs(expected - actual) <= Epsilon * Math.Max(1, Math.Abs(expected));
    }

    private static double ParseValue(string text) => text switch
    {
        "NaN" => double.NaN,
        "Inf" or "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static long Nanos(string duration)
    {
        if (!Durations.TryParse(duration, allowSign: true, out var value, out var error))
        {
            throw new FormatException(error);
        }
        return value.Ticks * 100;
    }

    private static bool IsIndented(string line) => line.Length > 0 && (line[0] == ' ' || line[0] == '\t');

    /// <summary>Drops a <c>#</c> comment that is outside double quotes and backticks.</summary>
    private static string StripComment(string line)
    {
        var quote = '\0';
        var text = new StringBuilder(line.Length);
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else if (c == '\\' && quote == '"' && i + 1 < line.Length)
                {
                    text.Append(c);
                    c = line[++i];
                }
            }
            else if (c is '"' or '`')
            {
                quote = c;
            }
            else if (c == '#')
            {
                break;
            }
            text.Append(c);
        }
        return text.ToString();
    }

    [GeneratedRegex("""^(?<labels>\{.*?\})\s+(?:"(?<dq>(?:[^"\\]|\\.)*)"|`(?<bq>[^`]*)`)\s+@\s+(?<at>\S+)(?:\s+\[repeat\s+every\s+(?<every>\S+)\s+for\s+(?<count>\d+)\])?(?:\s+\[metadata (?<metadata>.*)\])?\s*$""")]
    private static partial Regex LoadLine();

    [GeneratedRegex(@"^eval instant at (?<at>\S+) (?<query>.+)$")]
    private static partial Regex InstantCommand();

    [GeneratedRegex(@"^eval range from (?<from>\S+) to (?<to>\S+) step (?<step>\S+) (?<query>.+)$")]
    private static partial Regex RangeCommand();

    [GeneratedRegex(@"^(?<base>[-+]?[\d.]+(?:e[-+]?\d+)?)(?:(?<delta>[-+][\d.]+))?x(?<count>\d+)$")]
    private static partial Regex Expansion();
}
