using System.Threading.Channels;
using Kansoku.Agent.Checkpoints;
using Kansoku.Agent.Filters;

namespace Kansoku.Agent.Pipeline;

/// <summary>
/// The reader side of the pipeline: runs each record through the filters whose Match fits its tag, writes it once per
/// output whose Match fits, and seals batches by size or age into the commit channel. Awaiting a full channel is the
/// backpressure that pauses the inputs. One builder per input; not thread-safe.
/// </summary>
internal sealed class BatchBuilder : IDisposable
{
    private readonly IReadOnlyList<(TagPattern Match, IRecordFilter Filter)> _filters;
    private readonly IReadOnlyList<TagPattern> _outputMatches;
    private readonly ChannelWriter<Batch> _sealed;
    private readonly RecordWriter _writer = new();
    private readonly ComponentCounters _inputCounters;
    private readonly PipelineLimits _limits;
    private readonly TimeProvider _time;
    private readonly BatchPool _pool;
    private Batch _current;
    private long _openedAt;

    public BatchBuilder(
        IReadOnlyList<(TagPattern Match, IRecordFilter Filter)> filters,
        IReadOnlyList<TagPattern> outputMatches,
        ChannelWriter<Batch> sealedBatches,
        ComponentCounters inputCounters,
        PipelineLimits limits,
        TimeProvider time)
    {
        _filters = filters;
        _outputMatches = outputMatches;
        _sealed = sealedBatches;
        _inputCounters = inputCounters;
        _limits = limits;
        _time = time;
        // A record rarely exceeds a few KiB, so a little headroom over the seal threshold means buffers never grow.
        _pool = new BatchPool(outputMatches.Count, limits.BatchBytes + (limits.BatchBytes >> 2), limits.PendingBatches + 2);
        _current = _pool.Rent();
        _openedAt = time.GetTimestamp();
    }

    public long FilteredOut { get; private set; }

    /// <summary>Filters, routes and writes one record. The record may be reused by the caller afterwards.</summary>
    public void Add(LogRecord record)
    {
        _inputCounters.AddRead(1, record.Content.Length);
        var tag = record.Tag;
        foreach (var (match, filter) in _filters)
        {
            if (match.Matches(tag) && !filter.Apply(record))
            {
                FilteredOut++;
                return;
            }
        }
        var first = -1;
        var start = 0;
        for (var i = 0; i < _outputMatches.Count; i++)
        {
            if (!_outputMatches[i].Matches(tag))
            {
                continue;
            }
            var buffer = _current.Buffers[i];
            if (first < 0)
            {
                first = i;
                start = buffer.Length;
                _writer.Write(buffer, record);
            }
            else
            {
                var source = _current.Buffers[first];
                buffer.Write(source.WrittenSpan[start..]);
            }
            _current.RecordCounts[i]++;
        }
        _current.Records++;
    }

    /// <summary>Every byte of the cursor's file before <paramref name="offset"/> is in this batch or an earlier one.</summary>
    public void SetPosition(FileCursor cursor, long offset) => _current.Positions.Add((cursor, offset));

    public void Close(FileCursor cursor) => _current.Closed.Add(cursor);

    public bool IsFull => _current.Records >= _limits.BatchRecords || _current.ByteCount >= _limits.BatchBytes;

    public bool IsDue => !_current.IsEmpty && _time.GetElapsedTime(_openedAt) >= _limits.FlushInterval;

    /// <summary>Hands the current batch to the commit loop if it is full or old enough; waits while the loop is behind.</summary>
    public ValueTask SealIfDueAsync(CancellationToken cancellationToken) =>
        IsFull || IsDue ? SealAsync(cancellationToken) : ValueTask.CompletedTask;

    public async ValueTask SealAsync(CancellationToken cancellationToken)
    {
        if (_current.IsEmpty)
        {
            _openedAt = _time.GetTimestamp();
            return;
        }
        var batch = _current;
        _current = _pool.Rent();
        _openedAt = _time.GetTimestamp();
        await _sealed.WriteAsync(batch, cancellationToken);
    }

    public void Dispose()
    {
        _current.Dispose();
        _pool.Dispose();
        _writer.Dispose();
    }
}
