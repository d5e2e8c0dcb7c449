using Kansoku.LogQL.Parser;
using Kansoku.LogQL.Parser.Ast;
using Kansoku.Storage.Logs;

namespace Kansoku.LogQL.Engine.Metrics;

/// <summary>
/// A range aggregation (<c>count_over_time</c>, <c>rate</c>, <c>quantile_over_time</c>...): slides a window
/// <c>(t - range, t]</c> over the merged samples of all streams, one step at a time, keeping each series' samples in
/// the window (Loki's batch range iterator). Series that carry <c>__error__</c> fail the query, unless the query
/// groups by <c>__error__</c>. <c>absent_over_time</c> yields 1 at the steps where nothing is in the window.
/// </summary>
internal sealed class RangeVectorEvaluator : StepEvaluator
{
    private readonly RangeAggregationExpr _expression;
    private readonly SampleExtractor _extractor;
    private readonly EntryMerger _entries;
    private readonly QueryContext _context;
    private readonly long _range;
    private readonly long _step;
    private readonly long _end;
    private readonly long _offset;
    private readonly LabelList? _absentLabels;
    private readonly Dictionary<LabelList, SeriesWindow> _windows = [];
    private readonly List<SeriesWindow> _order = [];
    private readonly List<StepSample> _vector = [];
    private long _current;

    public RangeVectorEvaluator(RangeAggregationExpr expression, Grouping? grouping, StepRange steps, QueryContext context)
    {
        _expression = expression;
        _context = context;
        _range = expression.Range.Range.Ticks * 100;
        _offset = expression.Range.Offset.Ticks * 100;
        // Loki forces a step of at least 1ns so that an instant query evaluates once.
        _step = Math.Max(steps.Step, 1);
        _end = steps.End - _offset;
        _current = steps.Start - _offset - _step;
        _extractor = new SampleExtractor(expression, grouping, context);
        if (expression.Operation == RangeOperation.AbsentOverTime)
        {
            _absentLabels = AbsentLabels(expression.Range.Selector);
        }
        var selector = expression.Range.Selector;
        // Windows are left-open, so the first one needs entries after start - range; end is inclusive.
        var select = new LogSelect(selector.Matchers, steps.Start - _range - _offset, steps.End - _offset + 1, LogDirection.Forward,
            LineFilterHints.RequiredSubstrings(selector));
        _entries = new EntryMerger(context.Querier.Select(select), LogDirection.Forward, context);
    }

    public override bool Next(out long timestampMs, out List<StepSample> vector)
    {
        _context.ThrowIfCancelled();
        vector = _vector;
        _vector.Clear();
        _current += _step;
        timestampMs = (_current / 1_000_000) + (_offset / 1_000_000);
        if (_current > _end)
        {
            return false;
        }
        var rangeEnd = _current;
        var rangeStart = rangeEnd - _range;
        DropBefore(rangeStart);
        Load(rangeStart, rangeEnd);
        foreach (var window in _order)
        {
            var labels = window.Labels;
            if (labels.Has(LokiLabels.Error) && labels.Get(LokiLabels.PreserveError) != "true")
            {
                throw PipelineError(labels);
            }
            _vector.Add(new StepSample(labels, RangeFunctions.Aggregate(_expression, window.Samples, rangeEnd)));
        }
        if (_absentLabels is not null)
        {
            var absent = _vector.Count == 0;
            _vector.Clear();
            if (absent)
            {
                _vector.Add(new StepSample(_absentLabels, 1));
            }
        }
        return true;
    }

    public override void Dispose() => _entries.Dispose();

    private void DropBefore(long rangeStart)
    {
        var kept = 0;
        for (var i = 0; i < _order.Count; i++)
        {
            var window = _order[i];
            window.DropThrough(rangeStart);
            if (window.Count == 0)
            {
                _windows.Remove(window.Labels);
                continue;
            }
            _order[kept++] = window;
        }
        _order.RemoveRange(kept, _order.Count - kept);
    }

    private void Load(long rangeStart, long rangeEnd)
    {
        while (_entries.TryPeek(out var timestamp) && timestamp <= rangeEnd)
        {
            var cursor = _entries.Take();
            // Left-open window: entries at or before its start belong to no step.
            if (timestamp <= rangeStart)
            {
                continue;
            }
            if (!_extractor.Process(timestamp, cursor.Reader, cursor.Labels, cursor.LabelList, out var value, out var series))
            {
                continue;
            }
            if (!_windows.TryGetValue(series, out var window))
            {
                window = new SeriesWindow(series);
                _windows.Add(series, window);
                _order.Add(window);
            }
            window.Add(new WindowSample(timestamp, value));
        }
    }

    /// <summary>Loki's absent labels: the selector's equality matchers, minus any name that is also matched otherwise.</summary>
    private static LabelList AbsentLabels(LogSelectorExpr selector)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var removed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var matcher in selector.Matchers)
        {
            if (matcher.Type == Core.Labels.LabelMatchType.Equal && !labels.ContainsKey(matcher.Name))
            {
                labels[matcher.Name] = matcher.Value;
            }
            else
            {
                removed.Add(matcher.Name);
            }
        }
        var list = new List<Core.Labels.Label>();
        foreach (var (name, value) in labels)
        {
            if (!removed.Contains(name) && value.Length > 0)
            {
                list.Add(new Core.Labels.Label(name, value));
            }
        }
        return LabelList.From(list);
    }

    private static LogQLEvaluationException PipelineError(LabelList labels)
    {
        var error = labels.Get(LokiLabels.Error);
        return new LogQLEvaluationException(LogQLErrorKind.Pipeline,
            $"pipeline error: '{error}' for series: '{labels}'.\n" +
            $"Use a label filter to intentionally skip this error. (e.g | __error__!=\"{error}\").\n" +
            "To skip all potential errors you can match empty errors.(e.g __error__=\"\")\n" +
            "The label filter can also be specified after unwrap. (e.g | unwrap latency | __error__=\"\" )\n");
    }

    /// <summary>One series' samples inside the current window, oldest first.</summary>
    private sealed class SeriesWindow(LabelList labels)
    {
        private WindowSample[] _samples = new WindowSample[8];
        private int _head;
        private int _tail;

        public LabelList Labels { get; } = labels;

        public int Count => _tail - _head;

        public ReadOnlySpan<WindowSample> Samples => _samples.AsSpan(_head, _tail - _head);

        public void Add(WindowSample sample)
        {
            if (_tail == _samples.Length)
            {
                if (_head > 0)
                {
                    Array.Copy(_samples, _head, _samples, 0, Count);
                    _tail -= _head;
                    _head = 0;
                }
                if (_tail == _samples.Length)
                {
                    Array.Resize(ref _samples, _samples.Length * 2);
                }
            }
            _samples[_tail++] = sample;
        }

        public void DropThrough(long timestamp)
        {
            while (_head < _tail && _samples[_head].Timestamp <= timestamp)
            {
                _head++;
            }
            if (_head == _tail)
            {
                _head = 0;
                _tail = 0;
            }
        }
    }
}
