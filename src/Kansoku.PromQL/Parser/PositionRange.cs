namespace Kansoku.PromQL.Parser;

/// <summary>
/// Where a node sits in the query: <see cref="Start"/> inclusive, <see cref="End"/> exclusive, both byte offsets into the
/// query's UTF-8 text, as Prometheus' posrange.PositionRange (so error columns match Prometheus' for non-ASCII input).
/// </summary>
internal readonly record struct PositionRange(int Start, int End)
{
    public static PositionRange Merge(PositionRange first, PositionRange last) => new(first.Start, last.End);
}
