using Kansoku.Core.Labels;

namespace Kansoku.PromQL.Tests.Conformance;

/// <summary>One command of a Prometheus <c>.test</c> script, with the 1-based line of its header.</summary>
internal abstract record ScriptCommand(int Line);

/// <summary>
/// <c>load</c> / <c>load_with_nhcb</c>: series and their samples at k × interval. Blocks holding native-histogram
/// literals keep only their series names (<see cref="HistogramMetricNames"/>) so evals over them can be skipped.
/// </summary>
internal sealed record LoadCommand(
    int Line, long IntervalMs, bool DerivesCustomBuckets, IReadOnlyList<LoadedSeries> Series,
    IReadOnlyList<string> HistogramMetricNames, bool HasStartTimestamps) : ScriptCommand(Line)
{
    /// <summary>Whether the block needs native histograms: a <c>{{</c> literal or custom buckets derived from classic ones.</summary>
    public bool NeedsNativeHistograms => DerivesCustomBuckets || HistogramMetricNames.Count > 0;
}

internal sealed record ClearCommand(int Line) : ScriptCommand(Line);

/// <summary>
/// One eval: an instant query (<see cref="StartMs"/> = <see cref="EndMs"/>, step 0) or a range query, with what it
/// must return. No expected series and no scalar means an empty vector or matrix.
/// </summary>
internal sealed record EvalCommand(
    int Line,
    bool IsRange,
    long StartMs,
    long EndMs,
    long StepMs,
    string Expression,
    EvalExpectations Expectations,
    IReadOnlyList<ExpectedSeries> Series,
    double? Scalar,
    bool ExpectsHistograms) : ScriptCommand(Line);

/// <summary>The <c>expect</c> lines of an eval (and the legacy <c>eval_fail</c> / <c>eval_warn</c> / ... headers).</summary>
internal sealed record EvalExpectations
{
    public bool Fail { get; init; }

    /// <summary>The exact error text (<c>expect fail msg:</c>), trimmed, quotes kept.</summary>
    public string? FailMessage { get; init; }

    /// <summary>An unanchored pattern the error must contain (<c>expect fail regex:</c>).</summary>
    public string? FailPattern { get; init; }

    public IReadOnlyList<AnnotationExpectation> Warnings { get; init; } = [];

    public IReadOnlyList<AnnotationExpectation> Infos { get; init; } = [];

    public bool NoWarnings { get; init; }

    public bool NoInfos { get; init; }

    public bool Ordered { get; init; }

    /// <summary>For <c>expect range vector from S to E step D</c>: the steps the expected values belong to.</summary>
    public (long StartMs, long EndMs, long StepMs)? RangeVector { get; init; }

    /// <summary>For <c>expect string</c>: the unquoted string.</summary>
    public string? String { get; init; }
}

/// <summary>
/// An <c>expect warn</c> / <c>expect info</c> line: any annotation of the kind when both are null, else one whose text
/// equals <see cref="Message"/> or contains a match of <see cref="Pattern"/>.
/// </summary>
internal sealed record AnnotationExpectation(string? Message, string? Pattern);

internal sealed record LoadedSeries(LabelSet Labels, IReadOnlyList<SequenceValue> Values);

/// <summary>An expected output series; in range queries the k-th value belongs to step start + k × step.</summary>
internal sealed record ExpectedSeries(LabelSet Labels, IReadOnlyList<SequenceValue> Values);

/// <summary>One expanded item of a value sequence: a float, an empty slot (<c>_</c>) or a native histogram (kept as text).</summary>
internal readonly record struct SequenceValue(SequenceValueKind Kind, double Value, string? HistogramText)
{
    public static SequenceValue Empty => new(SequenceValueKind.Empty, 0, null);

    public static SequenceValue Float(double value) => new(SequenceValueKind.Float, value, null);

    public static SequenceValue Histogram(string text) => new(SequenceValueKind.Histogram, 0, text);
}

internal enum SequenceValueKind
{
    Empty,
    Float,
    Histogram,
}
