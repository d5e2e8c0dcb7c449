namespace Kansoku.LogQL.Parser.Ast;

/// <summary>
/// <c>on (a)</c> (<see cref="On"/>) or <c>ignoring (a)</c> with an optional <c>group_left (b)</c>/<c>group_right (b)</c>:
/// <see cref="Include"/> are the extra labels copied from the "one" side.
/// </summary>
internal sealed record VectorMatching(
    bool On, IReadOnlyList<string> Labels, VectorMatchCardinality Cardinality, IReadOnlyList<string> Include);
