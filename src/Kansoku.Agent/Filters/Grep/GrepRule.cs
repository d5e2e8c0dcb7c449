using System.Text.RegularExpressions;

namespace Kansoku.Agent.Filters.Grep;

/// <summary>One <c>Regex KEY REGEX</c> or <c>Exclude KEY REGEX</c> line.</summary>
internal sealed record GrepRule(RecordAccessor Key, Regex Pattern, bool Exclude);
