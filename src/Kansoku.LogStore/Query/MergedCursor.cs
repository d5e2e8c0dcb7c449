using System.IO.Hashing;
using Kansoku.Storage.Logs;

namespace Kansoku.LogStore.Query;

/// <summary>
/// Merges one stream's cursors of one partition (parts oldest first, then heads oldest first) into time order. Equal
/// timestamps come in source order (so in arrival order), reversed when backward. An entry equal to one already returned
/// (same timestamp and line, as Loki) is dropped: a client retrying an acknowledged push, or WAL replay after a crash
/// between writing a part and deleting the WAL, stores entries twice. Lines are compared by 64-bit XxHash3.
/// </summary>
internal sealed class MergedCursor : EntryCursor
{
    private readonly EntryCursor[] _sources;
    private readonly bool[] _live;
    private readonly bool _forward;
    private readonly List<ulong> _runHashes = new(4);
    private long _runTimestamp;
    private int _current = -1;
    private bool _started;

    public MergedCursor(EntryCursor[] sources, bool forward)
    {
        _sources = sources;
        _live = new bool[sources.Length];
        _forward = forward;
    }

    public override ReadOnlySpan<byte> Line => _sources[_current].Line;

    public override bool TryGetJsonLeaves(out JsonLeaves leaves) => _sources[_current].TryGetJsonLeaves(out leaves);

    public override bool MoveNext()
    {
        if (!_started)
        {
            _started = true;
            for (var i = 0; i < _sources.Length; i++)
            {
                _live[i] = _sources[i].MoveNext();
            }
        }
        else if (_current >= 0)
        {
            _live[_current] = _sources[_current].MoveNext();
        }
        while (true)
        {
            var best = Pick();
            if (best < 0)
            {
                _current = -1;
                return false;
            }
            var source = _sources[best];
            if (_runHashes.Count > 0 && source.Timestamp == _runTimestamp)
            {
                var hash = XxHash3.HashToUInt64(source.Line);
                if (_runHashes.Contains(hash))
                {
                    _live[best] = source.MoveNext();
                    continue;
                }
                _runHashes.Add(hash);
            }
            else
            {
                _runHashes.Clear();
                _runTimestamp = source.Timestamp;
                if (MayRepeat(best))
                {
                    _runHashes.Add(XxHash3.HashToUInt64(source.Line));
                }
            }
            _current = best;
            Timestamp = source.Timestamp;
            return true;
        }
    }

    public override void Dispose()
    {
        foreach (var source in _sources)
        {
            source.Dispose();
        }
    }

    /// <summary>
    /// Whether an entry with the same timestamp as source <paramref name="chosen"/>'s current one can still come: from
    /// another source that is at that timestamp now (the others are past it, and sources only move forward), or from the
    /// same source if it is a head (parts are deduplicated when written, heads are not). Only then is the line hashed,
    /// so a query over parts that do not overlap hashes nothing.
    /// </summary>
    private bool MayRepeat(int chosen)
    {
        if (_sources[chosen] is HeadCursor)
        {
            return true;
        }
        var timestamp = _sources[chosen].Timestamp;
        for (var i = 0; i < _sources.Length; i++)
        {
            if (i != chosen && _live[i] && _sources[i].Timestamp == timestamp)
            {
                return true;
            }
        }
        return false;
    }

    private int Pick()
    {
        var best = -1;
        var bestTimestamp = 0L;
        if (_forward)
        {
            for (var i = 0; i < _sources.Length; i++)
            {
                if (_live[i] && (best < 0 || _sources[i].Timestamp < bestTimestamp))
                {
                    best = i;
                    bestTimestamp = _sources[i].Timestamp;
                }
            }
        }
        else
        {
            for (var i = _sources.Length - 1; i >= 0; i--)
            {
                if (_live[i] && (best < 0 || _sources[i].Timestamp > bestTimestamp))
                {
                    best = i;
                    bestTimestamp = _sources[i].Timestamp;
                }
            }
        }
        return best;
    }
}
