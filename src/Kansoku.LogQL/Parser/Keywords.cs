using Kansoku.LogQL.Parser.Ast;

namespace Kansoku.LogQL.Parser;

/// <summary>The LogQL words and operator spellings, shared by the parser and the printer. Words match case-insensitively.</summary>
internal static class Keywords
{
    private static readonly Dictionary<string, RangeOperation> s_rangeOperations = new(StringComparer.OrdinalIgnoreCase)
    {
        ["count_over_time"] = RangeOperation.CountOverTime,
        ["rate"] = RangeOperation.Rate,
        ["rate_counter"] = RangeOperation.RateCounter,
        ["bytes_over_time"] = RangeOperation.BytesOverTime,
        ["bytes_rate"] = RangeOperation.BytesRate,
        ["absent_over_time"] = RangeOperation.AbsentOverTime,
        ["sum_over_time"] = RangeOperation.SumOverTime,
        ["avg_over_time"] = RangeOperation.AvgOverTime,
        ["min_over_time"] = RangeOperation.MinOverTime,
        ["max_over_time"] = RangeOperation.MaxOverTime,
        ["first_over_time"] = RangeOperation.FirstOverTime,
        ["last_over_time"] = RangeOperation.LastOverTime,
        ["stddev_over_time"] = RangeOperation.StddevOverTime,
        ["stdvar_over_time"] = RangeOperation.StdvarOverTime,
        ["quantile_over_time"] = RangeOperation.QuantileOverTime,
    };

    private static readonly Dictionary<string, VectorOperation> s_vectorOperations = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sum"] = VectorOperation.Sum,
        ["avg"] = VectorOperation.Avg,
        ["min"] = VectorOperation.Min,
        ["max"] = VectorOperation.Max,
        ["count"] = VectorOperation.Count,
        ["stddev"] = VectorOperation.Stddev,
        ["stdvar"] = VectorOperation.Stdvar,
        ["topk"] = VectorOperation.TopK,
        ["bottomk"] = VectorOperation.BottomK,
        ["sort"] = VectorOperation.Sort,
        ["sort_desc"] = VectorOperation.SortDesc,
        ["approx_topk"] = VectorOperation.ApproxTopK,
    };

    private static readonly Dictionary<RangeOperation, string> s_rangeNames = Invert(s_rangeOperations);
    private static readonly Dictionary<VectorOperation, string> s_vectorNames = Invert(s_vectorOperations);

    /// <summary>Words that start a pipeline stage after <c>|</c>.</summary>
    private static readonly HashSet<string> s_stageWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "json", "logfmt", "regexp", "pattern", "unpack", "line_format", "label_format", "decolorize", "drop", "keep", "unwrap",
    };

    /// <summary>Words named as themselves in syntax errors, like Loki's token names.</summary>
    private static readonly HashSet<string> s_reservedWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "by", "without", "bool", "or", "and", "unless", "on", "ignoring", "group_left", "group_right", "offset", "ip",
        "json", "logfmt", "regexp", "pattern", "unpack", "line_format", "label_format", "decolorize", "drop", "keep", "unwrap",
    };

    public static bool TryRangeOperation(ReadOnlySpan<char> word, out RangeOperation operation) =>
        s_rangeOperations.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(word, out operation);

    public static bool TryVectorOperation(ReadOnlySpan<char> word, out VectorOperation operation) =>
        s_vectorOperations.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(word, out operation);

    public static string Name(RangeOperation operation) => s_rangeNames[operation];

    public static string Name(VectorOperation operation) => s_vectorNames[operation];

    public static bool IsStageWord(ReadOnlySpan<char> word) => s_stageWords.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word);

    public static bool IsReservedWord(ReadOnlySpan<char> word) => s_reservedWords.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word);

    public static string Text(BinaryOperator op) => op switch
    {
        BinaryOperator.Or => "or",
        BinaryOperator.And => "and",
        BinaryOperator.Unless => "unless",
        BinaryOperator.Equal => "==",
        BinaryOperator.NotEqual => "!=",
        BinaryOperator.Greater => ">",
        BinaryOperator.GreaterOrEqual => ">=",
        BinaryOperator.Less => "<",
        BinaryOperator.LessOrEqual => "<=",
        BinaryOperator.Add => "+",
        BinaryOperator.Subtract => "-",
        BinaryOperator.Multiply => "*",
        BinaryOperator.Divide => "/",
        BinaryOperator.Modulo => "%",
        _ => "^",
    };

    /// <summary>Loki's precedence, lowest first: or; and unless; comparisons; + -; * / %; ^ (right-associative).</summary>
    public static int Precedence(BinaryOperator op) => op switch
    {
        BinaryOperator.Or => 1,
        BinaryOperator.And or BinaryOperator.Unless => 2,
        BinaryOperator.Add or BinaryOperator.Subtract => 4,
        BinaryOperator.Multiply or BinaryOperator.Divide or BinaryOperator.Modulo => 5,
        BinaryOperator.Power => 6,
        _ => 3,
    };

    public static bool IsComparison(BinaryOperator op) => Precedence(op) == 3;

    public static bool IsSetOperator(BinaryOperator op) => op is BinaryOperator.Or or BinaryOperator.And or BinaryOperator.Unless;

    public static string Text(LabelComparison comparison) => comparison switch
    {
        LabelComparison.Equal => "==",
        LabelComparison.NotEqual => "!=",
        LabelComparison.Greater => ">",
        LabelComparison.GreaterOrEqual => ">=",
        LabelComparison.Less => "<",
        _ => "<=",
    };

    public static string Text(LineFilterType type) => type switch
    {
        LineFilterType.Contains => "|=",
        LineFilterType.NotContains => "!=",
        LineFilterType.Regex => "|~",
        LineFilterType.NotRegex => "!~",
        LineFilterType.Pattern => "|>",
        _ => "!>",
    };

    public static string Text(UnwrapConversion conversion) => conversion switch
    {
        UnwrapConversion.Bytes => "bytes",
        UnwrapConversion.Duration => "duration",
        UnwrapConversion.DurationSeconds => "duration_seconds",
        _ => "",
    };

    private static Dictionary<TValue, string> Invert<TValue>(Dictionary<string, TValue> names)
        where TValue : notnull
    {
        var inverse = new Dictionary<TValue, string>();
        foreach (var (name, value) in names)
        {
            inverse[value] = name;
        }
        return inverse;
    }
}
