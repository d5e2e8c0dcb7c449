namespace Kansoku.PromQL.Parser;

/// <summary>
/// A function's signature, as Prometheus' parser.Function. <see cref="Variadic"/> is 0 for a fixed argument list,
/// n &gt; 0 when the last n argument types are optional (the last type repeats for <c>histogram_quantiles</c>), and -1
/// when the last type may repeat without limit. <see cref="Experimental"/> functions need
/// <see cref="ParserOptions.EnableExperimentalFunctions"/>.
/// </summary>
internal sealed class Function(string name, ValueType[] argumentTypes, ValueType returnType, int variadic = 0, bool experimental = false)
{
    public string Name { get; } = name;

    public IReadOnlyList<ValueType> ArgumentTypes { get; } = argumentTypes;

    public int Variadic { get; } = variadic;

    public ValueType ReturnType { get; } = returnType;

    public bool Experimental { get; } = experimental;

    public override string ToString() => Name;
}
