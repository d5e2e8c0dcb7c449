using Kansoku.Core.Labels;
using Kansoku.Storage.Metrics;
using Kansoku.Tsdb.Chunks;

namespace Kansoku.Tsdb.Querying;

/// <summary>One series found in several blocks and/or the head.</summary>
internal sealed class MergedSeries(LabelSet labels, List<ISeries> parts) : ISeries
{
    public LabelSet Labels { get; } = labels;

    public ISampleIterator Iterator()
    {
        var iterators = new ISampleIterator[parts.Count];
        for (var i = 0; i < iterators.Length; i++)
        {
            iterators[i] = parts[i].Iterator();
        }
        return new MergedSampleIterator(iterators);
    }
}
