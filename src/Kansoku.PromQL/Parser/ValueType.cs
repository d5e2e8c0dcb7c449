namespace Kansoku.PromQL.Parser;

/// <summary>The type an expression evaluates to, as Prometheus' parser.ValueType.</summary>
internal enum ValueType
{
    /// <summary>No value (Prometheus' "none"); only the result of an unknown node.</summary>
    None,
    /// <summary>A single number per evaluation step ("scalar").</summary>
    Scalar,
    /// <summary>One sample per series per step ("vector"; documented as "instant vector").</summary>
    Vector,
    /// <summary>A window of samples per series ("matrix"; documented as "range vector").</summary>
    Matrix,
    /// <summary>A string literal ("string").</summary>
    String,
}
