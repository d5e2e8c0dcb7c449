namespace Kansoku.PromQL.Parser;

/// <summary>PromQL's binary operators; <see cref="BinaryOperators"/> has their text, precedence and kind.</summary>
internal enum BinaryOperator
{
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    Atan2,
    Eql,
    Neq,
    Lss,
    Gtr,
    Lte,
    Gte,
    And,
    Or,
    Unless,
}
