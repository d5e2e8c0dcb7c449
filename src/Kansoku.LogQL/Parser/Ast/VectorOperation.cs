namespace Kansoku.LogQL.Parser.Ast;

/// <summary>The vector aggregation operators.</summary>
internal enum VectorOperation
{
    Sum,
    Avg,
    Min,
    Max,
    Count,
    Stddev,
    Stdvar,
    TopK,
    BottomK,
    Sort,
    SortDesc,
    ApproxTopK,
}
