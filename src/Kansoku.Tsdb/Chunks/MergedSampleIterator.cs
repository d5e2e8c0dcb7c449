using Kansoku.Storage.Metrics;

namespace Kansoku.Tsdb.Chunks;

/// <summary>
/// The samples of several iterators of one series (blocks and head, or overlapping blocks) in time order; for equal
/// timestamps the first iterator's sample wins, as Prometheus' vertical merge keeps one sample per timestamp.
/// </summary>
internal sealed class MergedSampleIterator(ISampleIterator[] sources) : ISampleIterator
{
    private readonly bool[] _valid = new bool[sources.Length];
    private bool _started;
    private bool _hasCurrent;

    public long TimestampMs { get; private set; }

    public double Value { get; private set; }

    public bool Next()
    {
        for (var i = 0; i < sources.Length; i++)
        {
            if (!_started || (_valid[i] && sources[i].TimestampMs == TimestampMs))
            {
                _valid[i] = sources[i].Next();
            }
        }
        _started = true;
        return Pick();
    }

    public bool Seek(long timestampMs)
    {
        if (_hasCurrent && TimestampMs >= timestampMs)
        {
            return true;
        }
        if (_started && !_hasCurrent)
        {
            return false;
        }
        for (var i = 0; i < sources.Length; i++)
        {
            if (!_started || (_valid[i] && sources[i].TimestampMs < timestampMs))
            {
                _valid[i] = sources[i].Seek(timestampMs);
            }
        }
        _started = true;
        return Pick();
    }

    private bool Pick()
    {
        var best = -1;
        for (var i = 0; i < sources.Length; i++)
        {
            if (_valid[i] && (best < 0 || sources[i].TimestampMs < sources[best].TimestampMs))
            {
                best = i;
            }
        }
        _hasCurrent = best >= 0;
        if (_hasCurrent)
        {
            TimestampMs = sources[best].TimestampMs;
            Value = sources[best].Value;
        }
        return _hasCurrent;
    }
}
