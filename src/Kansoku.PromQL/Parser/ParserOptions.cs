namespace Kansoku.PromQL.Parser;

/// <summary>
/// Experimental syntax switches, as Prometheus' parser.Options and the feature flags behind them. All off by default,
/// as in Prometheus; <see cref="AllExperimental"/> turns everything on (the conformance tests need it).
/// </summary>
internal sealed record ParserOptions
{
    public static ParserOptions Default { get; } = new();

    public static ParserOptions AllExperimental { get; } = new()
    {
        EnableExperimentalFunctions = true,
        EnableDurationExpressions = true,
        EnableExtendedRangeSelectors = true,
        EnableBinaryFillModifiers = true,
    };

    /// <summary><c>--enable-feature=promql-experimental-functions</c>: experimental functions, limitk, limit_ratio.</summary>
    public bool EnableExperimentalFunctions { get; init; }

    /// <summary><c>--enable-feature=promql-duration-expr</c>: arithmetic in ranges, steps and offsets.</summary>
    public bool EnableDurationExpressions { get; init; }

    /// <summary><c>--enable-feature=promql-extended-range-selectors</c>: the <c>anchored</c> and <c>smoothed</c> modifiers.</summary>
    public bool EnableExtendedRangeSelectors { get; init; }

    /// <summary><c>--enable-feature=promql-binop-fill-modifiers</c>: <c>fill</c>, <c>fill_left</c>, <c>fill_right</c>.</summary>
    public bool EnableBinaryFillModifiers { get; init; }
}
