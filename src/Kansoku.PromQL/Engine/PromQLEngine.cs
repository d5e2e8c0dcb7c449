using Kansoku.PromQL.Parser;
using Kansoku.Storage.Metrics;

namespace Kansoku.PromQL.Engine;

/// <summary>
/// Evaluates parsed PromQL over a sample store (Prometheus' promql.Engine): instant queries at one time, range
/// queries at every step from start to end. One engine serves many queries concurrently; each query gets its own
/// <see cref="Evaluator"/>.
/// </summary>
internal sealed class PromQLEngine(ISampleQueryable storage, EngineOptions options)
{
    public EngineOptions Options { get; } = options;

    /// <summary>Evaluates <paramref name="expression"/> (parsed from <paramref name="query"/>) at <paramref name="timeMs"/>.</summary>
    public QueryResult Instant(Expr expression, string query, long timeMs, CancellationToken cancellation = default) =>
        Run(expression, query, timeMs, timeMs, 0, cancellation);

    /// <summary>
    /// Evaluates at start, start + step, ... up to end; the result is a matrix (a scalar expression gives one series
    /// without labels). Strings are refused, as Prometheus does.
    /// </summary>
    public QueryResult Range(Expr expression, string query, long startMs, long endMs, long stepMs, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(stepMs, 0);
        if (Unwrap(expression).Type is not (Parser.ValueType.Scalar or Parser.ValueType.Vector))
        {
            throw new QueryException(
                $"invalid expression type \"{Unwrap(expression).Type.DocumentedName()}\" for range query, must be Scalar or instant Vector");
        }
        return Run(expression, query, startMs, endMs, stepMs, cancellation);
    }

    private QueryResult Run(Expr expression, string query, long startMs, long endMs, long stepMs, CancellationToken cancellation)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(Options.Timeout);
        using var evaluator = new Evaluator(storage, Options, query, startMs, endMs, stepMs, expression, timeout.Token, cancellation);
        var value = evaluator.Run(expression);
        return new QueryResult(value, evaluator.Warnings, evaluator.Infos);
    }

    private static Expr Unwrap(Expr expression) => expression is ParenExpr paren ? Unwrap(paren.Expression) : expression;
}
