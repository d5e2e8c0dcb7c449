using System.Text.RegularExpressions;
using Kansoku.PromQL.Engine;
using Kansoku.PromQL.Parser;
using Kansoku.Storage.Metrics;

namespace Kansoku.PromQL.Tests.Conformance;

/// <summary>
/// Runs one eval against the engine and checks it as promqltest does: errors, annotations, then the value (floats
/// compared with a relative tolerance of 1e-6, series matched by exact label sets, order checked when asked).
/// </summary>
internal sealed class EvalRunner(ISampleQueryable store)
{
    /// <summary>The engine settings the upstream files assume (FORMAT.md section 7).</summary>
    private readonly PromQLEngine _engine = new(store, new EngineOptions
    {
        MaxSamples = 10_000,
        Timeout = TimeSpan.FromSeconds(100),
        DefaultSubqueryStep = TimeSpan.FromMinutes(1),
    });

    /// <summary>Null when the eval passes, else why not.</summary>
    public string? Check(EvalCommand eval)
    {
        Expr expression;
        try
        {
            expression = PromQLParser.Parse(eval.Expression, ParserOptions.AllExperimental);
        }
        catch (PromQLParseException e)
        {
            return $"parse error: {e.Message}";
        }
        QueryResult result;
        try
        {
            result = eval.IsRange
                ? _engine.Range(expression, eval.Expression, eval.StartMs, eval.EndMs, eval.StepMs)
                : _engine.Instant(expression, eval.Expression, eval.StartMs);
        }
        catch (QueryException e)
        {
            return eval.Expectations.Fail ? CheckError(eval.Expectations, e.Message) : $"unexpected error: {e.Message}";
        }
        if (eval.Expectations.Fail)
        {
            return "expected an error, got a result";
        }
        return CheckAnnotations("warning", eval.Expectations.Warnings, eval.Expectations.NoWarnings, result.Warnings)
            ?? CheckAnnotations("info", eval.Expectations.Infos, eval.Expectations.NoInfos, result.Infos)
            ?? CheckValue(eval, result.Value);
    }

    private static string? CheckError(EvalExpectations expectations, string message)
    {
        if (expectations.FailMessage is { } exact && exact != message)
        {
            return $"error '{message}', expected '{exact}'";
        }
        if (expectations.FailPattern is { } pattern && !Regex.IsMatch(message, pattern))
        {
            return $"error '{message}' does not match /{pattern}/";
        }
        return null;
    }

    private static string? CheckAnnotations(string kind, IReadOnlyList<AnnotationExpectation> expected, bool none, IReadOnlyList<string> actual)
    {
        if (none)
        {
            return actual.Count == 0 ? null : $"unexpected {kind}: {actual[0]}";
        }
        if (expected.Count == 0)
        {
            return null;
        }
        if (actual.Count == 0)
        {
            return $"expected a {kind}, got none";
        }
        foreach (var expectation in expected)
        {
            if (!AnyMatches(expectation, actual))
            {
                return $"no {kind} matches '{expectation.Message ?? expectation.Pattern}'; got [{string.Join(" | ", actual)}]";
            }
        }
        foreach (var text in actual)
        {
            if (!MatchedByAny(text, expected))
            {
                return $"unexpected {kind}: {text}";
            }
        }
        return null;
    }

    private static bool AnyMatches(AnnotationExpectation expectation, IReadOnlyList<string> actual)
    {
        foreach (var text in actual)
        {
            if (Matches(expectation, text))
            {
                return true;
            }
        }
        return false;
    }

    private static bool MatchedByAny(string text, IReadOnlyList<AnnotationExpectation> expected)
    {
        foreach (var expectation in expected)
        {
            if (Matches(expectation, text))
            {
                return true;
            }
        }
        return false;
    }

    private static bool Matches(AnnotationExpectation expectation, string text) =>
        expectation.Message is { } exact ? exact == text
        : expectation.Pattern is not { } pattern || Regex.IsMatch(text, pattern);

    private static string? CheckValue(EvalCommand eval, QueryValue value)
    {
        if (eval.Expectations.String is { } expectedString)
        {
            return value is StringValue text && text.Value == expectedString ? null : $"expected string \"{expectedString}\"";
        }
        if (eval.Scalar is { } expectedScalar)
        {
            if (value is not ScalarValue scalar)
            {
                return $"expected scalar {expectedScalar}, got {value.GetType().Name}";
            }
            return FloatsEqual(expectedScalar, scalar.Value) ? null : $"scalar {scalar.Value}, expected {expectedScalar}";
        }
        if (eval.IsRange || eval.Expectations.RangeVector is not null)
        {
            if (value is not MatrixValue matrix)
            {
                return $"expected a matrix, got {value.GetType().Name}";
            }
            var (start, step) = eval.Expectations.RangeVector is { } range ? (range.StartMs, range.StepMs) : (eval.StartMs, eval.StepMs);
            return CheckMatrix(eval.Series, matrix, start, step);
        }
        if (value is not VectorValue vector)
        {
            return $"expected a vector, got {value.GetType().Name}";
        }
        return CheckVector(eval.Series, vector, eval.Expectations.Ordered);
    }

    private static string? CheckVector(IReadOnlyList<ExpectedSeries> expected, VectorValue vector, bool ordered)
    {
        if (vector.Samples.Count != expected.Count)
        {
            return $"{vector.Samples.Count} samples, expected {expected.Count}: got [{Describe(vector)}]";
        }
        for (var i = 0; i < expected.Count; i++)
        {
            var index = vector.Samples.FindIndex(s => s.Metric.Equals(expected[i].Labels));
            if (index < 0)
            {
                return $"no sample {expected[i].Labels}; got [{Describe(vector)}]";
            }
            if (ordered && index != i)
            {
                return $"{expected[i].Labels} at position {index}, expected {i}";
            }
            var want = expected[i].Values[0];
            if (want.Kind != SequenceValueKind.Float || !FloatsEqual(want.Value, vector.Samples[index].Value))
            {
                return $"{expected[i].Labels} = {vector.Samples[index].Value}, expected {want.Value}";
            }
        }
        return null;
    }

    private static string Describe(VectorValue vector) =>
        string.Join(", ", vector.Samples.Take(5).Select(s => $"{s.Metric} {s.Value}"));

    private static string? CheckMatrix(IReadOnlyList<ExpectedSeries> expected, MatrixValue matrix, long startMs, long stepMs)
    {
        if (matrix.Series.Count != expected.Count)
        {
            return $"{matrix.Series.Count} series, expected {expected.Count}: got [{string.Join(", ", matrix.Series.Take(5).Select(s => s.Metric))}]";
        }
        foreach (var series in expected)
        {
            var actual = matrix.Series.Find(s => s.Metric.Equals(series.Labels));
            if (actual is null)
            {
                return $"no series {series.Labels}";
            }
            var wanted = new List<FloatPoint>();
            for (var k = 0; k < series.Values.Count; k++)
            {
                if (series.Values[k].Kind == SequenceValueKind.Float)
                {
                    wanted.Add(new FloatPoint(startMs + k * stepMs, series.Values[k].Value));
                }
                else if (series.Values[k].Kind == SequenceValueKind.Histogram)
                {
                    return "histogram expected";
                }
            }
            if (wanted.Count != actual.Points.Count)
            {
                return $"{series.Labels}: {actual.Points.Count} points, expected {wanted.Count}: [{string.Join(" ", actual.Points.Select(p => $"{p.TimestampMs}:{p.Value}"))}]";
            }
            for (var i = 0; i < wanted.Count; i++)
            {
                if (wanted[i].TimestampMs != actual.Points[i].TimestampMs || !FloatsEqual(wanted[i].Value, actual.Points[i].Value))
                {
                    return $"{series.Labels}: point {actual.Points[i]} expected {wanted[i]}";
                }
            }
        }
        return null;
    }

    /// <summary>promqltest's comparison: NaN equals NaN (stale only stale), else relative difference below 1e-6.</summary>
    internal static bool FloatsEqual(double expected, double actual)
    {
        if (double.IsNaN(expected) || double.IsNaN(actual))
        {
            return double.IsNaN(expected) && double.IsNaN(actual) && StaleMarker.Is(expected) == StaleMarker.Is(actual);
        }
        return Quantile.AlmostEqual(expected, actual, 1e-6);
    }
}
