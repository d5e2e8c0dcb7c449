namespace Kansoku.LogQL.Parser.Ast;

/// <summary>One-to-one, or <c>group_left</c> (many-to-one) / <c>group_right</c> (one-to-many).</summary>
internal enum VectorMatchCardinality
{
    OneToOne,
    ManyToOne,
    OneToMany,
}
