namespace Kansoku.PromQL.Parser;

internal enum VectorMatchCardinality
{
    /// <summary>Default for arithmetic and comparison between two vectors.</summary>
    OneToOne,
    /// <summary><c>group_left</c></summary>
    ManyToOne,
    /// <summary><c>group_right</c></summary>
    OneToMany,
    /// <summary>Always the case for <c>and</c>, <c>or</c>, <c>unless</c>.</summary>
    ManyToMany,
}
