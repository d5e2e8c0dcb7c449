namespace Kansoku.PromQL.Parser;

/// <summary>The two spellings Prometheus uses for a <see cref="ValueType"/>.</summary>
internal static class ValueTypes
{
    /// <summary>The name as Prometheus' ValueType prints it ("vector", "matrix", "scalar", "string", "none").</summary>
    public static string Name(this ValueType type) => type switch
    {
        ValueType.Scalar => "scalar",
        ValueType.Vector => "vector",
        ValueType.Matrix => "matrix",
        ValueType.String => "string",
        _ => "none",
    };

    /// <summary>The name used in type-check errors ("instant vector", "range vector", ...), as DocumentedType.</summary>
    public static string DocumentedName(this ValueType type) => type switch
    {
        ValueType.Vector => "instant vector",
        ValueType.Matrix => "range vector",
        _ => type.Name(),
    };
}
