using Kansoku.Core.Labels;

namespace Kansoku.LogQL.Engine.Metrics;

/// <summary>
/// <c>by (...)</c> / <c>without (...)</c> applied to result labels, memoized per input list (series keep their list
/// instance from step to step, so each is grouped once).
/// </summary>
internal sealed class LabelGrouping
{
    private readonly string[] _names;
    private readonly bool _without;
    private readonly Dictionary<LabelList, LabelList> _memo = [];
    private readonly List<Label> _buffer = [];

    public LabelGrouping(IReadOnlyList<string> names, bool without)
    {
        _names = [.. names];
        Array.Sort(_names, StringComparer.Ordinal);
        _without = without;
    }

    public LabelList Apply(LabelList labels)
    {
        if (_memo.TryGetValue(labels, out var grouped))
        {
            return grouped;
        }
        _buffer.Clear();
        foreach (var label in labels.AsSpan())
        {
            var listed = Array.BinarySearch(_names, label.Name, StringComparer.Ordinal) >= 0;
            if (listed != _without)
            {
                _buffer.Add(label);
            }
        }
        grouped = _buffer.Count == labels.Count ? labels : LabelList.FromSorted([.. _buffer]);
        _memo[labels] = grouped;
        return grouped;
    }
}
