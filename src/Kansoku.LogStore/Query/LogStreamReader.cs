using Kansoku.Core.Labels;
using Kansoku.LogStore.Parts;
using Kansoku.Storage.Logs;

namespace Kansoku.LogStore.Query;

/// <summary>
/// One stream's entries across partitions (days do not overlap, so they are read one after the other in the query's
/// direction). Holds a reference on every part and head it may read until disposed; reads nothing until <see cref="MoveNext"/>.
/// </summary>
internal sealed class LogStreamReader : ILogStreamReader
{
    private readonly List<PartitionSources> _partitions;
    private readonly List<RefCounted> _acquired;
    private readonly QueryRange _range;
    private readonly LogStoreCounters _counters;
    private readonly Action<Part, string> _reportCorrupt;
    private int _next;
    private MergedCursor? _cursor;
    private bool _disposed;

    public LogStreamReader(
        LabelSet labels,
        List<PartitionSources> partitions,
        List<RefCounted> acquired,
        QueryRange range,
        LogStoreCounters counters,
        Action<Part, string> reportCorrupt)
    {
        Labels = labels;
        _partitions = partitions;
        _acquired = acquired;
        _range = range;
        _counters = counters;
        _reportCorrupt = reportCorrupt;
    }

    public LabelSet Labels { get; }

    public long Timestamp => _cursor!.Timestamp;

    public ReadOnlySpan<byte> Line => _cursor!.Line;

    public bool TryGetJsonLeaves(out JsonLeaves leaves) => _cursor!.TryGetJsonLeaves(out leaves);

    public bool MoveNext()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (true)
        {
            if (_cursor is not null)
            {
                if (_cursor.MoveNext())
                {
                    return true;
                }
                _cursor.Dispose();
                _cursor = null;
            }
            if (_next >= _partitions.Count)
            {
                return false;
            }
            _cursor = _partitions[_next++].Open(_range, _counters, _reportCorrupt);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _cursor?.Dispose();
        _cursor = null;
        foreach (var shared in _acquired)
        {
            shared.Release();
        }
    }
}
