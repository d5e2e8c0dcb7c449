namespace Kansoku.PromQL.Parser;

/// <summary>
/// How a binary operation between two instant vectors pairs their samples: <c>on(...)</c> (<see cref="On"/> true) or
/// <c>ignoring(...)</c> over <see cref="MatchingLabels"/>, <c>group_left/right(...)</c> with <see cref="Include"/>, and
/// the experimental <c>fill(v)</c> / <c>fill_left(v)</c> / <c>fill_right(v)</c> values for a missing side.
/// </summary>
internal sealed class VectorMatching
{
    public VectorMatchCardinality Cardinality { get; init; }

    public IReadOnlyList<string> MatchingLabels { get; init; } = [];

    /// <summary>True for <c>on(...)</c>; false for <c>ignoring(...)</c> or no clause (match on all labels).</summary>
    public bool On { get; init; }

    /// <summary>Labels of the "one" side copied onto results by <c>group_left(...)</c> / <c>group_right(...)</c>.</summary>
    public IReadOnlyList<string> Include { get; init; } = [];

    /// <summary>Value used for a missing left-hand sample (<c>fill_left</c> or <c>fill</c>), or null.</summary>
    public double? FillLeft { get; init; }

    /// <summary>Value used for a missing right-hand sample (<c>fill_right</c> or <c>fill</c>), or null.</summary>
    public double? FillRight { get; init; }
}
