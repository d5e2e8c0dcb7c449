namespace Kansoku.LogQL.Engine.Metrics;

/// <summary><c>vector(1)</c>, and a number inside a larger expression: one unlabeled sample at every step.</summary>
internal sealed class ConstantVectorEvaluator(double value, StepRange steps) : StepEvaluator
{
    private readonly List<StepSample> _vector = [];
    private long _current = steps.Start - Math.Max(steps.Step, 1);

    public override bool Next(out long timestampMs, out List<StepSample> vector)
    {
        vector = _vector;
        _vector.Clear();
        _current += Math.Max(steps.Step, 1);
        timestampMs = _current / 1_000_000;
        if (_current > steps.End)
        {
            return false;
        }
        _vector.Add(new StepSample(LabelList.Empty, value));
        return true;
    }

    public override void Dispose()
    {
    }
}
