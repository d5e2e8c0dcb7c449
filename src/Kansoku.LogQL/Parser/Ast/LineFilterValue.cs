namespace Kansoku.LogQL.Parser.Ast;

/// <summary>One operand of a line filter: a string, or <c>ip("...")</c> when <see cref="IsIp"/>.</summary>
internal sealed record LineFilterValue(string Value, bool IsIp);
