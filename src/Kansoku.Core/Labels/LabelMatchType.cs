namespace Kansoku.Core.Labels;

/// <summary>The four label matchers of PromQL and LogQL selectors.</summary>
public enum LabelMatchType
{
    /// <summary><c>=</c></summary>
    Equal,
    /// <summary><c>!=</c></summary>
    NotEqual,
    /// <summary><c>=~</c> (fully anchored RE2-style regex)</summary>
    RegexMatch,
    /// <summary><c>!~</c></summary>
    RegexNoMatch,
}
