using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Kansoku.Core.Labels;
using Kansoku.Storage.Metrics;

namespace Kansoku.Tsdb.Head;

/// <summary>
/// A head transaction. Samples wait in a pooled array until <see cref="Commit"/>; each pins its series so that head
/// garbage collection cannot drop it meanwhile. An append with a known ref does no label work and no allocation.
/// </summary>
internal sealed class HeadAppender(HeadBlock head) : ISampleAppender
{
    private PendingSample[] _pending = ArrayPool<PendingSample>.Shared.Rent(64);
    private int _count;
    private bool _finished;

    public ulong Append(ulong seriesRef, LabelSet labels, long timestampMs, double value)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (seriesRef == 0 || !head.TryGetByRef(seriesRef, out var series) || !series.TryPin())
        {
            series = PinByLabels(labels);
        }
        if (timestampMs < head.AppendableMinTime)
        {
            series.Unpin();
            Reject(SampleRejection.TooOld, timestampMs);
        }
        var last = Volatile.Read(ref series.LastTimestamp);
        if (timestampMs < last)
        {
            series.Unpin();
            Reject(SampleRejection.OutOfOrder, timestampMs);
        }
        if (timestampMs == last && series.LastValueBits != BitConverter.DoubleToUInt64Bits(value))
        {
            series.Unpin();
            Reject(SampleRejection.DuplicateTimestamp, timestampMs);
        }
        if (_count == _pending.Length)
        {
            Grow();
        }
        _pending[_count++] = new PendingSample(series, timestampMs, value);
        return series.Ref;
    }

    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        _finished = true;
        try
        {
            head.Commit(_pending.AsSpan(0, _count));
        }
        finally
        {
            Release(unpin: false);
        }
    }

    public void Rollback()
    {
        if (_finished)
        {
            return;
        }
        _finished = true;
        Release(unpin: true);
    }

    private MemSeries PinByLabels(LabelSet labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (!labels.Has("__name__"))
        {
            throw new SampleRejectedException(SampleRejection.InvalidLabels, $"series {labels} has no metric name");
        }
        while (true)
        {
            var series = head.GetOrCreate(labels);
            if (series.TryPin())
            {
                return series;
            }
            // Retired by a concurrent head truncation between lookup and pin; the next lookup creates it anew.
            Thread.Yield();
        }
    }

    private void Grow()
    {
        var larger = ArrayPool<PendingSample>.Shared.Rent(_pending.Length * 2);
        _pending.AsSpan().CopyTo(larger);
        ArrayPool<PendingSample>.Shared.Return(_pending, clearArray: true);
        _pending = larger;
    }

    private void Release(bool unpin)
    {
        if (unpin)
        {
            foreach (var sample in _pending.AsSpan(0, _count))
            {
                sample.Series.Unpin();
            }
        }
        ArrayPool<PendingSample>.Shared.Return(_pending, clearArray: true);
        _pending = [];
        _count = 0;
    }

    [DoesNotReturn]
    private static void Reject(SampleRejection reason, long timestampMs) =>
        throw new SampleRejectedException(reason, $"sample at {timestampMs} refused: {reason}");
}
