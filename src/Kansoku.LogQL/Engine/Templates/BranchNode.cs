namespace Kansoku.LogQL.Engine.Templates;

/// <summary><c>{{if}}</c>, <c>{{with}}</c> or <c>{{range}}</c>, with an optional <c>{{else}}</c> list.</summary>
internal sealed class BranchNode(int offset, BranchKind kind, PipeNode pipe, ListNode list, ListNode? elseList) : TemplateNode(offset)
{
    public BranchKind Kind { get; } = kind;

    public PipeNode Pipe { get; } = pipe;

    public ListNode List { get; } = list;

    public ListNode? ElseList { get; } = elseList;
}
