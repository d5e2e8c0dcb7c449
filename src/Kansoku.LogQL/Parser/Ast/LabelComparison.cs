namespace Kansoku.LogQL.Parser.Ast;

/// <summary>The comparison of a numeric, duration, bytes or ip label filter.</summary>
internal enum LabelComparison
{
    /// <summary><c>=</c> or <c>==</c></summary>
    Equal,
    /// <summary><c>!=</c></summary>
    NotEqual,
    /// <summary><c>&gt;</c></summary>
    Greater,
    /// <summary><c>&gt;=</c></summary>
    GreaterOrEqual,
    /// <summary><c>&lt;</c></summary>
    Less,
    /// <summary><c>&lt;=</c></summary>
    LessOrEqual,
}
