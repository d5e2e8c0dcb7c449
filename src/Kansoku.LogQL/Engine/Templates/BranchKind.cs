namespace Kansoku.LogQL.Engine.Templates;

/// <summary>The control actions.</summary>
internal enum BranchKind
{
    If,
    With,
    Range,
}
