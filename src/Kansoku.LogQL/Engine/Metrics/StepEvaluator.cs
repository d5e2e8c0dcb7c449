namespace Kansoku.LogQL.Engine.Metrics;

/// <summary>
/// Evaluates a metric expression one step at a time (Loki's <c>StepEvaluator</c>): every evaluator of a query walks the
/// same steps, so binary operators can pair their sides step by step.
/// </summary>
internal abstract class StepEvaluator : IDisposable
{
    /// <summary>Moves to the next step; false after the last. <paramref name="vector"/> is valid until the next call.</summary>
    public abstract bool Next(out long timestampMs, out List<StepSample> vector);

    /// <summary>Releases the store readers underneath.</summary>
    public abstract void Dispose();
}
