using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using Kansoku.Core.Labels;
using Kansoku.LogStore.Binary;
using Kansoku.LogStore.Index;
using ZstdSharp;

namespace Kansoku.LogStore.Parts;

/// <summary>
/// Writes a part file (format in docs/format/logstore.md): streams in the order given, each stream's entries in time
/// order cut into blocks, then the index and footer. Writes to a temporary file; <see cref="Complete"/> fsyncs it and the
/// caller renames it into place. Disposing without completing deletes the temporary file.
/// </summary>
internal sealed class PartWriter : IDisposable
{
    private readonly string _path;
    private readonly FileStream _file;
    private readonly Compressor _compressor;
    private readonly int _blockRawBytes;
    private readonly int _blockMaxEntries;
    private readonly ByteBuffer _index = new(64 << 10);
    private readonly ByteBuffer _lines = new(64 << 10);
    private readonly ByteBuffer _column = new(64 << 10);
    private readonly ByteBuffer _compressed = new(64 << 10);
    private readonly ArrayBufferWriter<byte> _filters = new(16 << 10);
    private readonly List<long> _timestamps = new(1024);
    private readonly List<int> _lengths = new(1024);
    private readonly List<BlockMeta> _blocks = [];
    private readonly List<int> _blockFilterOffsets = [];
    private LabelSet? _stream;
    private int _streamCount;
    private long _minTimestamp = long.MaxValue;
    private long _maxTimestamp = long.MinValue;
    private long _entries;
    private bool _completed;

    public PartWriter(string temporaryPath, int compressionLevel, int blockRawBytes, int blockMaxEntries)
    {
        _path = temporaryPath;
        _file = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        _compressor = new Compressor(compressionLevel);
        _blockRawBytes = blockRawBytes;
        _blockMaxEntries = blockMaxEntries;
        Span<byte> header = stackalloc byte[PartFile.HeaderBytes];
        PartFile.HeaderMagic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], PartFile.Version);
        _file.Write(header);
    }

    public void BeginStream(LabelSet labels)
    {
        if (_stream is not null)
        {
            throw new InvalidOperationException("previous stream not ended");
        }
        _stream = labels;
    }

    /// <summary>Adds the next entry of the current stream; timestamps must not decrease.</summary>
    public void Add(long timestamp, ReadOnlySpan<byte> line)
    {
        if (_timestamps.Count > 0 && timestamp < _timestamps[^1])
        {
            throw new InvalidOperationException("entries must be added in time order");
        }
        if (_timestamps.Count > 0 && (_timestamps.Count >= _blockMaxEntries || _lines.Length + line.Length > _blockRawBytes))
        {
            WriteBlock();
        }
        _timestamps.Add(timestamp);
        _lengths.Add(line.Length);
        _lines.Write(line);
    }

    public void EndStream()
    {
        var labels = _stream ?? throw new InvalidOperationException("no stream begun");
        if (_timestamps.Count > 0)
        {
            WriteBlock();
        }
        _stream = null;
        if (_blocks.Count == 0)
        {
            return;
        }
        // The stream's filters follow its blocks, so a needle query reads them with one read.
        var filtersStart = _file.Position;
        _file.Write(_filters.WrittenSpan);
        _filters.Clear();

        LabelCodec.Write(_index, labels);
        _index.WriteVarint((ulong)_blocks.Count);
        _index.WriteZigZag(_blocks[0].MinTimestamp);
        var previousMin = _blocks[0].MinTimestamp;
        for (var i = 0; i < _blocks.Count; i++)
        {
            var block = _blocks[i];
            _index.WriteVarint((ulong)(block.MinTimestamp - previousMin));
            previousMin = block.MinTimestamp;
            _index.WriteVarint((ulong)(block.MaxTimestamp - block.MinTimestamp));
            _index.WriteVarint((ulong)block.Entries);
            _index.WriteVarint((ulong)block.RawBytes);
            _index.WriteVarint((ulong)block.DataOffset);
            _index.WriteVarint((ulong)block.DataLength);
            _index.WriteUInt32(block.DataCrc);
            _index.WriteVarint(2);
            WriteColumn(ColumnKind.Timestamps, block.Timestamps);
            WriteColumn(ColumnKind.Lines, block.Lines);
            _index.WriteByte((byte)block.FilterLog2Bits);
            _index.WriteVarint((ulong)(filtersStart + _blockFilterOffsets[i]));
            _index.WriteUInt32(block.FilterCrc);
        }
        _blocks.Clear();
        _blockFilterOffsets.Clear();
        _streamCount++;
    }

    /// <summary>Writes the index and footer and fsyncs the file. Returns the file's length.</summary>
    public long Complete()
    {
        if (_stream is not null)
        {
            throw new InvalidOperationException("stream not ended");
        }
        using var index = new ByteBuffer(_index.Length + 64);
        index.WriteVarint(PartFile.IndexVersion);
        index.WriteVarint((ulong)_streamCount);
        index.WriteZigZag(_streamCount == 0 ? 0 : _minTimestamp);
        index.WriteZigZag(_streamCount == 0 ? 0 : _maxTimestamp);
        index.WriteVarint((ulong)_entries);
        index.Write(_index.Span);

        var indexOffset = _file.Position;
        var (storedLength, codec) = Compress(index.Span);
        var stored = _compressed.Span[..storedLength];
        _file.Write(stored);
        Span<byte> footer = stackalloc byte[PartFile.FooterBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(footer, (ulong)indexOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(footer[8..], (uint)stored.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(footer[12..], (uint)index.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(footer[16..], Crc32.HashToUInt32(stored));
        footer[20] = (byte)codec;
        PartFile.FooterMagic.CopyTo(footer[24..]);
        _file.Write(footer);
        _file.Flush(flushToDisk: true);
        var length = _file.Length;
        _file.Dispose();
        _completed = true;
        return length;
    }

    public void Dispose()
    {
        _file.Dispose();
        _compressor.Dispose();
        _index.Dispose();
        _lines.Dispose();
        _column.Dispose();
        _compressed.Dispose();
        if (!_completed)
        {
            File.Delete(_path);
        }
    }

    private void WriteColumn(ColumnKind kind, ColumnRef column)
    {
        _index.WriteByte((byte)kind);
        _index.WriteByte((byte)column.Codec);
        _index.WriteVarint((ulong)column.StoredLength);
        _index.WriteVarint((ulong)column.RawLength);
    }

    private void WriteBlock()
    {
        var count = _timestamps.Count;
        var minTimestamp = _timestamps[0];
        var maxTimestamp = _timestamps[count - 1];
        var dataOffset = _file.Position;
        var crc = new Crc32();

        _column.Clear();
        var previous = minTimestamp;
        foreach (var timestamp in _timestamps)
        {
            _column.WriteVarint((ulong)(timestamp - previous));
            previous = timestamp;
        }
        var timestamps = WriteColumnData(_column.Span, 0, crc);

        _column.Clear();
        foreach (var length in _lengths)
        {
            _column.WriteVarint((ulong)length);
        }
        _column.Write(_lines.Span);
        var lines = WriteColumnData(_column.Span, timestamps.StoredLength, crc);

        var filterStart = _filters.WrittenCount;
        var log2Bits = TokenFilter.Build(_lines.Span, CollectionsMarshal.AsSpan(_lengths), _filters);
        var filterCrc = Crc32.HashToUInt32(_filters.WrittenSpan[filterStart..]);

        _blocks.Add(new BlockMeta(
            minTimestamp, maxTimestamp, count, _lines.Length, dataOffset, timestamps.StoredLength + lines.StoredLength,
            crc.GetCurrentHashAsUInt32(), timestamps, lines, 0, log2Bits, filterCrc));
        _blockFilterOffsets.Add(filterStart);
        _minTimestamp = Math.Min(_minTimestamp, minTimestamp);
        _maxTimestamp = Math.Max(_maxTimestamp, maxTimestamp);
        _entries += count;
        _timestamps.Clear();
        _lengths.Clear();
        _lines.Clear();
    }

    private ColumnRef WriteColumnData(ReadOnlySpan<byte> raw, int offset, Crc32 crc)
    {
        var (length, codec) = Compress(raw);
        var stored = codec == ColumnCodec.Zstd ? _compressed.Span[..length] : raw;
        _file.Write(stored);
        crc.Append(stored);
        return new ColumnRef(offset, stored.Length, raw.Length, codec);
    }

    /// <summary>zstd into <see cref="_compressed"/>; when that is not smaller the caller stores the raw bytes.</summary>
    private (int Length, ColumnCodec Codec) Compress(ReadOnlySpan<byte> raw)
    {
        _compressed.Clear();
        var bound = Compressor.GetCompressBound(raw.Length);
        var written = _compressor.Wrap(raw, _compressed.GetSpan(bound));
        _compressed.Advance(written);
        if (written >= raw.Length)
        {
            _compressed.Clear();
            _compressed.Write(raw);
            return (raw.Length, ColumnCodec.None);
        }
        return (written, ColumnCodec.Zstd);
    }
}
