namespace Kansoku.LogQL.Parser.Ast;

/// <summary>The binary operators of metric queries, by increasing precedence group.</summary>
internal enum BinaryOperator
{
    Or,
    And,
    Unless,
    Equal,
    NotEqual,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
    Power,
}
