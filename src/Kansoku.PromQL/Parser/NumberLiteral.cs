namespace Kansoku.PromQL.Parser;

/// <summary>
/// A number: <c>1</c>, <c>0x1F</c>, <c>1e-3</c>, <c>Inf</c>, <c>NaN</c>, or a duration written where a number is
/// expected (<c>5m</c> in seconds, <see cref="IsDuration"/> set so the printer writes it back as a duration).
/// </summary>
internal sealed class NumberLiteral(double value, PositionRange position, bool isDuration = false) : Expr(position)
{
    public double Value { get; } = value;

    /// <summary>Whether the query spelled the number as a duration (<c>1m</c> means 60).</summary>
    public bool IsDuration { get; } = isDuration;

    public override ValueType Type => ValueType.Scalar;
}
