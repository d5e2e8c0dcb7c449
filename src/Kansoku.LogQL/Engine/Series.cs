namespace Kansoku.LogQL.Engine;

/// <summary>One series of a matrix: its labels and its points in time order.</summary>
internal sealed class Series(LabelList labels, List<SamplePoint> points)
{
    public LabelList Labels { get; } = labels;

    public IReadOnlyList<SamplePoint> Points { get; } = points;
}
