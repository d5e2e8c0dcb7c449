using Kansoku.Core.Labels;

namespace Kansoku.Storage.Metrics;

/// <summary>One series of a querier's result.</summary>
public interface ISeries
{
    LabelSet Labels { get; }

    /// <summary>A new iterator over the series' samples in the querier's range, oldest first.</summary>
    ISampleIterator Iterator();
}
