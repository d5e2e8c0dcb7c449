using System.IO.Hashing;
using Kansoku.Core.Labels;
using Kansoku.Tsdb.Blocks;
using Kansoku.Tsdb.Encoding;

namespace Kansoku.Tsdb.Index;

/// <summary>
/// Writes a block's index: symbols, series in label order (ids are their ordinals), the series offset table,
/// postings per label pair, the postings table and the table of contents. Series must come in label order.
/// </summary>
internal sealed class IndexWriter : IDisposable
{
    private const int FlushBytes = 1 << 20;
    private readonly FileStream _file;
    private readonly ByteWriter _buffer = new(FlushBytes + (64 * 1024));
    private readonly Dictionary<string, int> _symbols = new(StringComparer.Ordinal);
    private readonly string[] _symbolTable;
    private readonly List<long> _seriesOffsets = [];
    private readonly Dictionary<long, List<uint>> _postings = [];
    private readonly long _seriesStart;
    private readonly long _baseTime;
    private long _flushed;
    private LabelSet? _previous;

    /// <summary>A writer for a block whose chunks start at or after <paramref name="baseTime"/> (its min time).</summary>
    public IndexWriter(string path, string[] sortedSymbols, long baseTime)
    {
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        _symbolTable = sortedSymbols;
        _buffer.WriteBytes(IndexFormat.Magic);
        _buffer.WriteBytes([IndexFormat.Version, 0, 0, 0]);
        _buffer.WriteUVarint((ulong)sortedSymbols.Length);
        for (var i = 0; i < sortedSymbols.Length; i++)
        {
            _symbols.Add(sortedSymbols[i], i);
            _buffer.WriteString(sortedSymbols[i]);
        }
        _baseTime = baseTime;
        _buffer.WriteVarint(baseTime);
        _seriesStart = Position;
    }

    public int SeriesCount => _seriesOffsets.Count;

    private long Position => _flushed + _buffer.Length;

    public void AddSeries(LabelSet labels, ReadOnlySpan<ChunkMeta> chunks)
    {
        if (_previous is not null && LabelSetComparer.Instance.Compare(_previous, labels) >= 0)
        {
            throw new InvalidOperationException($"series {labels} out of label order in the index");
        }
        _previous = labels;
        var id = (uint)_seriesOffsets.Count;
        _seriesOffsets.Add(Position);
        _buffer.WriteUVarint((ulong)labels.Count);
        foreach (var label in labels.AsSpan())
        {
            var name = _symbols[label.Name];
            var value = _symbols[label.Value];
            _buffer.WriteUVarint((ulong)name);
            _buffer.WriteUVarint((ulong)value);
            var key = ((long)name << 32) | (uint)value;
            if (!_postings.TryGetValue(key, out var ids))
            {
                ids = [];
                _postings.Add(key, ids);
            }
            ids.Add(id);
        }
        _buffer.WriteUVarint((ulong)chunks.Length);
        // Relative to the block's start, a first chunk's time costs 1-3 bytes instead of 6.
        var previousMax = _baseTime;
        long previousReference = 0;
        foreach (var chunk in chunks)
        {
            _buffer.WriteVarint(chunk.MinTime - previousMax);
            _buffer.WriteUVarint((ulong)(chunk.MaxTime - chunk.MinTime));
            _buffer.WriteVarint(chunk.Reference - previousReference);
            previousMax = chunk.MaxTime;
            previousReference = chunk.Reference;
        }
        FlushIfFull();
    }

    public void Finish()
    {
        var seriesTable = Position;
        if (seriesTable - _seriesStart > uint.MaxValue)
        {
            throw new InvalidOperationException("a block's series entries exceed the 4 GiB an index addresses");
        }
        foreach (var offset in _seriesOffsets)
        {
            _buffer.WriteUInt32((uint)(offset - _seriesStart));
            FlushIfFull();
        }
        // One more entry closes the last series, so every entry's length is next minus this.
        _buffer.WriteUInt32((uint)(seriesTable - _seriesStart));

        // Every series is 0..count-1; readers make that list rather than read it.
        var allPostings = Position;
        var keys = new long[_postings.Count];
        _postings.Keys.CopyTo(keys, 0);
        Array.Sort(keys); // symbol ids are in string order, so this is (name, value) order
        var offsets = new long[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            offsets[i] = Position;
            WritePostingsList(_postings[keys[i]]);
        }
        var postingsTable = Position;
        _buffer.WriteUVarint((ulong)keys.Length);
        for (var i = 0; i < keys.Length; i++)
        {
            _buffer.WriteUVarint((ulong)(keys[i] >> 32));
            _buffer.WriteUVarint((ulong)(uint)keys[i]);
            _buffer.WriteUVarint((ulong)offsets[i]);
            _buffer.WriteUVarint((ulong)((i + 1 < keys.Length ? offsets[i + 1] : postingsTable) - offsets[i]));
            FlushIfFull();
        }
        var tocStart = _buffer.Length;
        _buffer.WriteUInt64((ulong)_seriesStart);
        _buffer.WriteUInt64((ulong)seriesTable);
        _buffer.WriteUInt64((ulong)_seriesOffsets.Count);
        _buffer.WriteUInt64((ulong)allPostings);
        _buffer.WriteUInt64((ulong)postingsTable);
        _buffer.WriteUInt64((ulong)_symbolTable.Length);
        _buffer.WriteUInt32(Crc32.HashToUInt32(_buffer.Slice(tocStart, 48)));
        Flush();
        _file.Flush(flushToDisk: true);
    }

    public void Dispose() => _file.Dispose();

    /// <summary>A count and delta-coded ids.</summary>
    private void WritePostingsList(List<uint> ids)
    {
        _buffer.WriteUVarint((ulong)ids.Count);
        uint previous = 0;
        foreach (var id in ids)
        {
            _buffer.WriteUVarint(id - previous);
            previous = id;
            FlushIfFull();
        }
    }

    private void FlushIfFull()
    {
        if (_buffer.Length >= FlushBytes)
        {
            Flush();
        }
    }

    private void Flush()
    {
        _file.Write(_buffer.WrittenSpan);
        _flushed += _buffer.Length;
        _buffer.Reset();
    }
}
