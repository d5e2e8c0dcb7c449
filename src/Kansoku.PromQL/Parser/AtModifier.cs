namespace Kansoku.PromQL.Parser;

/// <summary>Which evaluation-time bound an <c>@</c> modifier names, when it names one rather than a timestamp.</summary>
internal enum AtModifier
{
    /// <summary>No <c>@ start()</c> / <c>@ end()</c>; a fixed timestamp may still be set.</summary>
    None,
    /// <summary><c>@ start()</c>: the start of the query range.</summary>
    Start,
    /// <summary><c>@ end()</c>: the end of the query range.</summary>
    End,
}
