namespace Kansoku.LogQL.Parser.Ast;

/// <summary>The six line filter operators.</summary>
internal enum LineFilterType
{
    /// <summary><c>|=</c>: the line contains the string.</summary>
    Contains,
    /// <summary><c>!=</c></summary>
    NotContains,
    /// <summary><c>|~</c>: the (unanchored, RE2-syntax) regex matches somewhere in the line.</summary>
    Regex,
    /// <summary><c>!~</c></summary>
    NotRegex,
    /// <summary><c>|&gt;</c>: the line matches the pattern (<c>&lt;_&gt;</c> placeholders, no named captures).</summary>
    Pattern,
    /// <summary><c>!&gt;</c></summary>
    NotPattern,
}
