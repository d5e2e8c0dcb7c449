namespace Kansoku.PromQL.Parser;

/// <summary>
/// A PromQL expression node, as Prometheus' parser.Expr. The parser sets modifiers (offset, @, end position) while
/// building a node; once it returns, nodes must be treated as immutable, and the engine keeps per-query state
/// (resolved offsets, series) on its own side. <see cref="ToString"/> prints the expression
/// as Prometheus' String() does.
/// </summary>
internal abstract class Expr
{
    protected Expr(PositionRange position) => Position = position;

    /// <summary>The byte range of the node in the query text.</summary>
    public PositionRange Position { get; set; }

    /// <summary>The type of the node's value, as Prometheus' Type().</summary>
    public abstract ValueType Type { get; }

    public override string ToString() => Printer.Print(this);
}
