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
    /// <summary><c>&lt;/</c>: trims histogram buckets above the scalar ("trim upper").</summary>
    TrimUpper,
    /// <summary><c>&gt;/</c>: trims histogram buckets below the scalar.</summary>
    TrimLower,
}
