using Kansoku.Core.Labels;

namespace Kansoku.LogStore.Head;

/// <summary>
/// The in-memory entries of one stream in one day, in arrival order, lines copied into pages of up to 64 KiB.
/// Mutated only by the WAL writer under the storage's heads lock; read through <see cref="Snapshot"/>. Full-size pages come
/// from the store's <see cref="HeadPagePool"/> and go back to it once the head is freed (<see cref="ReturnPages"/>).
/// </summary>
internal sealed class HeadStream
{
    private const int FirstPageBytes = 512;
    private const int MaxPageBytes = HeadPagePool.PageBytes;
    public const int EntryOverheadBytes = 24;

    private readonly HeadPagePool _pool;
    private HeadEntry[] _entries = new HeadEntry[16];
    private int _count;
    private byte[][] _pages = new byte[4][];
    private int _pageCount;
    private int _openPage = -1;
    private int _pageUsed;
    private bool _sorted = true;
    private long _minTimestamp = long.MaxValue;
    private long _maxTimestamp = long.MinValue;

    public HeadStream(int streamId, LabelSet labels, HeadPagePool pool)
    {
        _pool = pool;
        StreamId = streamId;
        Labels = labels;
    }

    public int StreamId { get; }
    public LabelSet Labels { get; }

    public int Count => _count;
    public long MinTimestamp => _minTimestamp;
    public long MaxTimestamp => _maxTimestamp;

    /// <summary>Returns the bytes the entry adds to the head's memory.</summary>
    public long Append(long timestamp, ReadOnlySpan<byte> line)
    {
        var (page, offset) = Store(line);
        if (_count == _entries.Length)
        {
            Array.Resize(ref _entries, _entries.Length * 2);
        }
        _entries[_count] = new HeadEntry(timestamp, page, offset, line.Length);
        _count++;
        if (timestamp < _maxTimestamp)
        {
            _sorted = false;
        }
        _minTimestamp = Math.Min(_minTimestamp, timestamp);
        _maxTimestamp = Math.Max(_maxTimestamp, timestamp);
        return line.Length + EntryOverheadBytes;
    }

    public HeadStreamSnapshot Snapshot() =>
        new(StreamId, Labels, _entries, _count, _pages, _sorted, _minTimestamp, _maxTimestamp);

    private (int Page, int Offset) Store(ReadOnlySpan<byte> line)
    {
        if (line.Length > MaxPageBytes / 4)
        {
            // A long line gets a page of its own, so pages never waste more than a quarter.
            return (AddPage(line.ToArray()), 0);
        }
        if (_openPage < 0 || _pages[_openPage].Length - _pageUsed < line.Length)
        {
            // Pages double from small, so the many streams that log little cost little.
            var size = _openPage < 0 ? FirstPageBytes : Math.Min(_pages[_openPage].Length * 2, MaxPageBytes);
            while (size < line.Length)
            {
                size *= 2;
            }
            _openPage = AddPage(size == MaxPageBytes ? _pool.Rent() : new byte[size]);
            _pageUsed = 0;
        }
        line.CopyTo(_pages[_openPage].AsSpan(_pageUsed));
        var offset = _pageUsed;
        _pageUsed += line.Length;
        return (_openPage, offset);
    }

    /// <summary>Gives the pages back to the pool: only once no snapshot of this stream is read any more.</summary>
    public void ReturnPages()
    {
        _pool.Return(_pages.AsSpan(0, _pageCount));
        _pageCount = 0;
        _openPage = -1;
    }

    private int AddPage(byte[] page)
    {
        if (_pageCount == _pages.Length)
        {
            Array.Resize(ref _pages, _pages.Length * 2);
        }
        _pages[_pageCount] = page;
        return _pageCount++;
    }
}
