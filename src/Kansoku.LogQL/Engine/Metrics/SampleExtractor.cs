using Kansoku.Core.Labels;
using Kansoku.LogQL.Engine.Go;
using Kansoku.LogQL.Engine.Pipeline;
using Kansoku.LogQL.Parser.Ast;
using Kansoku.Storage.Logs;

namespace Kansoku.LogQL.Engine.Metrics;

/// <summary>
/// Turns log entries into samples for a range aggregation (Loki's sample extractors): the pipeline runs, then the
/// value is 1 per line, the line's length in bytes, or the unwrapped label converted to a number; the series labels
/// are the entry's labels with the aggregation's grouping applied (all of them when the entry has an error).
/// </summary>
internal sealed class SampleExtractor
{
    private readonly LogPipeline _pipeline;
    private readonly RangeOperation _operation;
    private readonly UnwrapExpr? _unwrap;
    private readonly LabelPredicate[] _postFilters;
    private readonly string[] _groups;
    private readonly bool _without;
    private readonly bool _noLabels;
    private readonly LabelsBuilder _labels;

    /// <param name="grouping">The aggregation's grouping, or the one pushed down from an enclosing <c>sum</c>.</param>
    public SampleExtractor(RangeAggregationExpr expression, Grouping? grouping, QueryContext context)
    {
        var range = expression.Range;
        _operation = expression.Operation;
        _pipeline = context.Compiler.Compile(range.Selector.Stages);
        _unwrap = range.Unwrap;
        _postFilters = _unwrap is null ? [] : [.. _unwrap.PostFilters.Select(context.Compiler.CompilePredicate)];
        var groups = grouping?.Labels.ToList() ?? [];
        _without = grouping?.Without ?? false;
        // Loki: an empty `by ()` (what a bare sum pushes down) reduces every sample to one series.
        _noLabels = (grouping is { Without: false, Labels.Count: 0 }) || _operation == RangeOperation.AbsentOverTime;
        var required = _pipeline.RequiredLabels();
        foreach (var filter in _postFilters)
        {
            filter.AddRequiredLabels(required);
        }
        if (_unwrap is not null && (groups.Count == 0 || _without))
        {
            // The unwrapped label is the value, not a series label.
            _without = true;
            groups.Add(_unwrap.Label);
        }
        _groups = [.. groups];
        Array.Sort(_groups, StringComparer.Ordinal);
        var hints = ParserHints.ForMetric(required, _groups, _without, _noLabels, _unwrap?.Label);
        _labels = new LabelsBuilder(hints, context.Labels);
    }

    /// <summary>The sample of the entry <paramref name="source"/> is on; false when it yields none (filtered out, or no value to unwrap).</summary>
    public bool Process(long timestamp, ILogStreamReader source, LabelSet streamLabels, LabelList streamList,
        out double value, out LabelList series)
    {
        var line = source.Line;
        _labels.Reset(streamLabels, streamList, source);
        value = 0;
        series = LabelList.Empty;
        if (!_pipeline.Process(timestamp, ref line, _labels))
        {
            return false;
        }
        if (_unwrap is null)
        {
            value = _operation is RangeOperation.BytesOverTime or RangeOperation.BytesRate ? line.Length : 1;
        }
        else
        {
            // A line without the label gives no sample (Loki issue 6713); a value that does not convert is an error.
            var text = _labels.GetOrEmpty(_unwrap.Label);
            if (text.Length == 0)
            {
                return false;
            }
            if (!TryConvert(text, out value, out var error))
            {
                _labels.SetError(LokiLabels.SampleExtractionError, error);
            }
            foreach (var filter in _postFilters)
            {
                if (!filter.Test(_labels))
                {
                    return false;
                }
            }
        }
        series = _labels.GroupedLabels(_groups, _without, _noLabels);
        return true;
    }

    private bool TryConvert(string text, out double value, out string? error)
    {
        switch (_unwrap!.Conversion)
        {
            case UnwrapConversion.Bytes:
                var ok = GoBytes.TryParse(text, out var bytes, out error);
                value = ok ? bytes : 0;
                return ok;
            case UnwrapConversion.Duration or UnwrapConversion.DurationSeconds:
                ok = GoDurations.TryParse(text, out var nanos, out error);
                value = ok ? GoDurations.Seconds(nanos) : 0;
                return ok;
            default:
                ok = GoFloats.TryParse(text, out value, out error);
                if (!ok)
                {
                    value = 0;
                }
                return ok;
        }
    }
}
