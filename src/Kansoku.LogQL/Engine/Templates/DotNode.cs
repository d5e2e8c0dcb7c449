namespace Kansoku.LogQL.Engine.Templates;

/// <summary><c>.</c>: the current data.</summary>
internal sealed class DotNode(int offset) : TemplateNode(offset);
