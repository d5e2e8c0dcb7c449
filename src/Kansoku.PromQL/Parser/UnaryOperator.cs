namespace Kansoku.PromQL.Parser;

internal enum UnaryOperator
{
    /// <summary><c>+x</c></summary>
    Plus,
    /// <summary><c>-x</c></summary>
    Minus,
}
