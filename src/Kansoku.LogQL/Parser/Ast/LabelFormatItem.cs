namespace Kansoku.LogQL.Parser.Ast;

/// <summary>
/// One <c>label_format</c> operation: <c>dst=src</c> renames (<see cref="IsRename"/>, <see cref="Value"/> is the source
/// label, which is dropped), <c>dst="{{.x}}"</c> sets <see cref="Name"/> to the rendered template.
/// </summary>
internal sealed record LabelFormatItem(string Name, string Value, bool IsRename);
