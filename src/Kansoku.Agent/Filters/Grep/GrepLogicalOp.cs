namespace Kansoku.Agent.Filters.Grep;

internal enum GrepLogicalOp
{
    /// <summary>Every Regex must match and no Exclude may match (Fluent Bit's default).</summary>
    Legacy,
    /// <summary>All rules (all Regex, or all Exclude) must match to keep (or drop).</summary>
    And,
    /// <summary>Any rule matching keeps (Regex) or drops (Exclude).</summary>
    Or,
}
