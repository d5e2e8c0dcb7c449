using System.Collections.Frozen;

namespace Kansoku.PromQL.Parser;

/// <summary>
/// Every function of PromQL as of Prometheus 3.x main (commit d15adb9), with its argument and return types; the
/// implementations live in the engine. <c>step</c>, <c>range</c>, <c>start</c>, <c>end</c>, <c>min_of</c> and
/// <c>max_of</c> are listed because Prometheus lists them, but they are only valid inside duration expressions.
/// </summary>
internal static class Functions
{
    private const ValueType S = ValueType.Scalar;
    private const ValueType V = ValueType.Vector;
    private const ValueType M = ValueType.Matrix;
    private const ValueType Str = ValueType.String;

    public static FrozenDictionary<string, Function> ByName { get; } = Build(
    [
        Vector("abs"), Vector("absent"), Range("absent_over_time"), Vector("acos"), Vector("acosh"), Vector("asin"),
        Vector("asinh"), Vector("atan"), Vector("atanh"), Range("avg_over_time"), Vector("ceil"), Range("changes"),
        new("clamp", [V, S, S], V), new("clamp_max", [V, S], V), new("clamp_min", [V, S], V), Vector("cos"),
        Vector("cosh"), Range("count_over_time"), Clock("days_in_month"), Clock("day_of_month"), Clock("day_of_week"),
        Clock("day_of_year"), Vector("deg"), new("end", [], S, experimental: true), Range("delta"), Range("deriv"),
        Vector("exp"), Range("first_over_time"), Vector("floor"), Vector("histogram_avg"), Vector("histogram_count"),
        Vector("histogram_sum"), Vector("histogram_stddev"), Vector("histogram_stdvar"),
        new("histogram_fraction", [S, S, V], V), new("histogram_quantile", [S, V], V),
        new("histogram_quantiles", [V, Str, S, S], V, variadic: 9, experimental: true),
        new("double_exponential_smoothing", [M, S, S], V, experimental: true), Clock("hour"), Range("idelta"),
        Range("increase"), new("info", [V, V], V, variadic: 1, experimental: true), Range("irate"),
        new("label_replace", [V, Str, Str, Str, Str], V), new("label_join", [V, Str, Str, Str], V, variadic: -1),
        new("max_of", [S, S], S, experimental: true), Range("last_over_time"), new("min_of", [S, S], S, experimental: true),
        Vector("ln"), Vector("log10"), Vector("log2"), Range("mad_over_time", experimental: true), Range("max_over_time"),
        Range("min_over_time"), Range("ts_of_first_over_time", experimental: true),
        Range("ts_of_max_over_time", experimental: true), Range("ts_of_min_over_time", experimental: true),
        Range("ts_of_last_over_time", experimental: true), Clock("minute"), Clock("month"), new("pi", [], S),
        new("predict_linear", [M, S], V), Range("present_over_time"), new("quantile_over_time", [S, M], V),
        Vector("rad"), new("range", [], S, experimental: true), Range("rate"), Range("resets"),
        new("round", [V, S], V, variadic: 1), new("scalar", [V], S), Vector("sgn"), Vector("sin"), Vector("sinh"),
        Vector("sort"), Vector("sort_desc"), new("sort_by_label", [V, Str], V, variadic: -1, experimental: true),
        new("sort_by_label_desc", [V, Str], V, variadic: -1, experimental: true), Vector("sqrt"),
        new("start", [], S, experimental: true), Vector("start_timestamp", experimental: true),
        new("step", [], S, experimental: true), Range("stddev_over_time"), Range("stdvar_over_time"),
        Range("sum_over_time"), Vector("tan"), Vector("tanh"), new("time", [], S), Vector("timestamp"),
        new("vector", [S], V), Clock("year"),
    ]);

    public static bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Function? function) =>
        ByName.TryGetValue(name, out function);

    private static Function Vector(string name, bool experimental = false) => new(name, [V], V, experimental: experimental);

    private static Function Range(string name, bool experimental = false) => new(name, [M], V, experimental: experimental);

    /// <summary>The calendar functions: an optional vector of timestamps, <c>vector(time())</c> when omitted.</summary>
    private static Function Clock(string name) => new(name, [V], V, variadic: 1);

    private static FrozenDictionary<string, Function> Build(Function[] functions)
    {
        var byName = new Dictionary<string, Function>(functions.Length, StringComparer.Ordinal);
        foreach (var function in functions)
        {
            byName.Add(function.Name, function);
        }
        return byName.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
