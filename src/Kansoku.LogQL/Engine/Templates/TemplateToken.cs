namespace Kansoku.LogQL.Engine.Templates;

/// <summary>A token and where it starts in the template text.</summary>
internal readonly record struct TemplateToken(TemplateTokenKind Kind, string Text, int Offset);
