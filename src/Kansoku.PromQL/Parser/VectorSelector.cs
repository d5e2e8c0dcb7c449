using Kansoku.Core.Labels;

namespace Kansoku.PromQL.Parser;

/// <summary>
/// An instant vector selector <c>name{a="b"} offset 5m @ 123</c>. <see cref="Matchers"/> holds every matcher the
/// storage must apply, including the <c>__name__="name"</c> one built from the metric name, in query order with the
/// name matcher last, as Prometheus does. An offset is <see cref="OriginalOffset"/> when it was a plain duration, and
/// <see cref="OffsetExpression"/> when it was a duration expression that needs the query's step to evaluate
/// (experimental). <see cref="Timestamp"/> (milliseconds) and <see cref="At"/> are the <c>@</c> modifier.
/// </summary>
internal sealed class VectorSelector(string? name, IReadOnlyList<LabelMatcher> matchers, PositionRange position) : Expr(position)
{
    /// <summary>The metric name written before the braces or as a lone quoted name in them, else null.</summary>
    public string? Name { get; } = name;

    public IReadOnlyList<LabelMatcher> Matchers { get; } = matchers;

    /// <summary>The offset as written (negative for <c>offset -5m</c>); zero when absent.</summary>
    public TimeSpan OriginalOffset { get; set; }

    /// <summary>The offset when written as a duration expression (<c>offset step()*2</c>); then <see cref="OriginalOffset"/> is zero.</summary>
    public DurationExpr? OffsetExpression { get; set; }

    /// <summary>The <c>@</c> timestamp in milliseconds since the epoch, or null.</summary>
    public long? Timestamp { get; set; }

    public AtModifier At { get; set; }

    /// <summary>Experimental <c>anchored</c> range modifier (on the selector of a matrix selector).</summary>
    public bool Anchored { get; set; }

    /// <summary>Experimental <c>smoothed</c> modifier.</summary>
    public bool Smoothed { get; set; }

    /// <summary>
    /// Set for the second argument of <c>info()</c>, which may select nothing but <c>__name__</c> matchers: the
    /// "at least one matcher must not match the empty string" rule does not apply to it.
    /// </summary>
    public bool BypassEmptyMatcherCheck { get; set; }

    public override ValueType Type => ValueType.Vector;
}
