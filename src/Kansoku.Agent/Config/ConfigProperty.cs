namespace Kansoku.Agent.Config;

/// <summary>One key/value of a component. Keys may repeat (Fluent Bit's <c>Regex</c>, <c>Add</c>, <c>Rule</c>…).</summary>
internal sealed record ConfigProperty(string Key, string Value, SourceLocation Location);
