using System.Collections.Frozen;

namespace Kansoku.PromQL.Parser;

/// <summary>
/// The aggregation operators' table: keyword, the type of the parameter for those that take one (topk, bottomk, limitk,
/// limit_ratio and quantile a scalar, count_values a string), and whether it needs
/// <see cref="ParserOptions.EnableExperimentalFunctions"/> (limitk, limit_ratio).
/// </summary>
internal static class Aggregations
{
    private static readonly string[] s_names =
    [
        "sum", "avg", "count", "min", "max", "group", "stddev", "stdvar", "topk", "bottomk", "quantile", "count_values",
        "limitk", "limit_ratio",
    ];

    private static readonly FrozenDictionary<string, Aggregation> s_byName = BuildByName();

    public static string Name(this Aggregation aggregation) => s_names[(int)aggregation];

    /// <summary>The parameter's type, or <see cref="ValueType.None"/> for aggregations without one.</summary>
    public static ValueType ParameterType(this Aggregation aggregation) => aggregation switch
    {
        Aggregation.Topk or Aggregation.Bottomk or Aggregation.Quantile or Aggregation.Limitk or Aggregation.LimitRatio
            => ValueType.Scalar,
        Aggregation.CountValues => ValueType.String,
        _ => ValueType.None,
    };

    public static bool HasParameter(this Aggregation aggregation) => aggregation.ParameterType() != ValueType.None;

    public static bool IsExperimental(this Aggregation aggregation) =>
        aggregation is Aggregation.Limitk or Aggregation.LimitRatio;

    /// <summary>Looks a keyword up case-insensitively, as Prometheus' lexer does for keywords.</summary>
    public static bool TryGet(ReadOnlySpan<char> name, out Aggregation aggregation) =>
        s_byName.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out aggregation);

    private static FrozenDictionary<string, Aggregation> BuildByName()
    {
        var byName = new Dictionary<string, Aggregation>(s_names.Length, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < s_names.Length; i++)
        {
            byName.Add(s_names[i], (Aggregation)i);
        }
        return byName.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }
}
