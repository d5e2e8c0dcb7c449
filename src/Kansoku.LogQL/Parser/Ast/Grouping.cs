namespace Kansoku.LogQL.Parser.Ast;

/// <summary><c>by (a, b)</c> or <c>without (a, b)</c>; <see cref="Labels"/> may be empty.</summary>
internal sealed record Grouping(bool Without, IReadOnlyList<string> Labels);
