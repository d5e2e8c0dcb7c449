namespace Kansoku.PromQL.Parser;

/// <summary>Walking the tree, as Prometheus' Children / Inspect (the engine's preprocessing and selector extraction).</summary>
internal static class ExprTree
{
    /// <summary>The direct children in evaluation order (an aggregation's expression before its parameter, as Prometheus).</summary>
    public static IReadOnlyList<Expr> Children(Expr expression) => expression switch
    {
        AggregateExpr aggregate => aggregate.Parameter is null ? [aggregate.Expression] : [aggregate.Expression, aggregate.Parameter],
        BinaryExpr binary => [binary.Left, binary.Right],
        Call call => call.Arguments,
        SubqueryExpr subquery => [subquery.Expression],
        ParenExpr paren => [paren.Expression],
        UnaryExpr unary => [unary.Expression],
        MatrixSelector matrix => [matrix.Selector],
        _ => [],
    };

    /// <summary>Calls <paramref name="visit"/> for every node depth-first, parents before children, with the path of ancestors.</summary>
    public static void Inspect(Expr expression, Action<Expr, IReadOnlyList<Expr>> visit)
    {
        var path = new List<Expr>();
        Visit(expression, path, visit);
    }

    private static void Visit(Expr expression, List<Expr> path, Action<Expr, IReadOnlyList<Expr>> visit)
    {
        visit(expression, path);
        path.Add(expression);
        foreach (var child in Children(expression))
        {
            Visit(child, path, visit);
        }
        path.RemoveAt(path.Count - 1);
    }
}
