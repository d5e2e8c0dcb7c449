using Kansoku.Storage.Metrics;

namespace Kansoku.Tsdb.Chunks;

/// <summary>The samples of a series' chunks within [minTime, maxTime], decoding one chunk at a time.</summary>
internal sealed class ChunkSeriesIterator(IChunkSequence chunks, long minTime, long maxTime) : ISampleIterator
{
    private ChunkDecoder _decoder;
    private int _nextChunk;
    private bool _inChunk;
    private bool _done;

    public long TimestampMs { get; private set; }

    public double Value { get; private set; }

    public bool Next() => Advance(minTime);

    public bool Seek(long timestampMs)
    {
        if (_inChunk && TimestampMs >= timestampMs)
        {
            return true;
        }
        if (_inChunk && chunks.MaxTime(_nextChunk - 1) < timestampMs)
        {
            _inChunk = false;
        }
        return Advance(Math.Max(timestampMs, minTime));
    }

    private bool Advance(long from)
    {
        while (!_done)
        {
            if (_inChunk)
            {
                while (_decoder.Next())
                {
                    var timestamp = _decoder.Timestamp;
                    if (timestamp > maxTime)
                    {
                        return Finish();
                    }
                    if (timestamp >= from)
                    {
                        TimestampMs = timestamp;
                        Value = _decoder.Value;
                        return true;
                    }
                }
                _inChunk = false;
            }
            while (_nextChunk < chunks.Count && chunks.MaxTime(_nextChunk) < from)
            {
                _nextChunk++;
            }
            if (_nextChunk >= chunks.Count || chunks.MinTime(_nextChunk) > maxTime)
            {
                return Finish();
            }
            _decoder = new ChunkDecoder(chunks.Load(_nextChunk++));
            _inChunk = true;
        }
        return false;
    }

    private bool Finish()
    {
        _done = true;
        _inChunk = false;
        return false;
    }
}
