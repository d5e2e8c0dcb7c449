namespace Kansoku.Storage.Metrics;

/// <summary>Why a store refused a sample (Prometheus' ErrOutOfOrderSample, ErrOutOfBounds, ErrDuplicateSampleForTimestamp...).</summary>
public enum SampleRejection
{
    /// <summary>Older than the newest sample of its series (and outside any out-of-order window).</summary>
    OutOfOrder,

    /// <summary>Older than what the store still accepts (before the head's range, or past retention).</summary>
    TooOld,

    /// <summary>Same timestamp as the series' newest sample, different value.</summary>
    DuplicateTimestamp,

    /// <summary>The labels are not a valid series (no metric name, an invalid name, a duplicate label).</summary>
    InvalidLabels,
}

/// <summary>A sample the store refused; the caller counts it by <see cref="Reason"/> and goes on.</summary>
public sealed class SampleRejectedException(SampleRejection reason, string message) : Exception(message)
{
    public SampleRejection Reason { get; } = reason;
}
