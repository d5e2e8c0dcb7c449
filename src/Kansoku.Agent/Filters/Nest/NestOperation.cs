namespace Kansoku.Agent.Filters.Nest;

internal enum NestOperation
{
    /// <summary>Moves top-level keys matching a Wildcard into an object under Nest_under.</summary>
    Nest,
    /// <summary>Moves the keys of the object under Nested_under to the top level.</summary>
    Lift,
}
