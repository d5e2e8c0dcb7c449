namespace Kansoku.LogQL.Engine.Metrics;

/// <summary>
/// The evaluation times of a metric query, Unix nanoseconds: <see cref="Start"/>, then every <see cref="Step"/> up to
/// <see cref="End"/> inclusive. An instant query has <c>Start == End</c> and <c>Step == 0</c>.
/// </summary>
internal readonly record struct StepRange(long Start, long End, long Step)
{
    public bool IsInstant => Start == End && Step == 0;
}
