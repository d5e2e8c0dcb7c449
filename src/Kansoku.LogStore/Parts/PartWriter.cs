using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using Kansoku.Core.Labels;
using Kansoku.LogStore.Binary;
using Kansoku.LogStore.Index;
using Kansoku.LogStore.Parts.Shapes;
using ZstdSharp;

namespace Kansoku.LogStore.Parts;

/// <summary>
/// Writes a part file (format in docs/format/logstore.md): streams in the order given, each stream's entries in time
/// order cut into blocks, then the index and footer. Writes to a temporary file; <see cref="Complete"/> fsyncs it and the
/// caller renames it into place. Disposing without completing deletes the temporary file. With
/// <c>splitJsonFields</c>, blocks store their JSON lines column-wise (<see cref="BlockShaper"/>).
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
    private readonly BlockShaper? _shaper;
    private LabelSet? _stream;
    private int _streamCount;
    private long _minTimestamp = long.MaxValue;
    private long _maxTimestamp = long.MinValue;
    private long _entries;
    private bool _completed;

    public PartWriter(string temporaryPath, int compressionLevel, int blockRawBytes, int blockMaxEntries, bool splitJsonFields)
    {
        _shaper = splitJsonFields ? new BlockShaper() : null;
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
        if (_timestamps.Count > 0 ? timestamp < _timestamps[^1] : _blocks.Count > 0 && timestamp < _blocks[^1].MaxTimestamp)
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

    /// <summary>
    /// Adds a block of another part as it is (compressed columns and filter copied byte for byte) after the entries added
    /// so far, which must all be earlier. False, with nothing written, when the block's data fails its CRC; a filter that
    /// fails its CRC is left out (the block is then read by every needle query).
    /// </summary>
    public bool CopyBlock(Part source, BlockMeta block)
    {
        if (_stream is null)
        {
            throw new InvalidOperationException("no stream begun");
        }
        if (_timestamps.Count > 0)
        {
            if (block.MinTimestamp < _timestamps[^1])
            {
                throw new InvalidOperationException("entries must be added in time order");
            }
            WriteBlock();
        }
        if (_blocks.Count > 0 && block.MinTimestamp < _blocks[^1].MaxTimestamp)
        {
            throw new InvalidOperationException("entries must be added in time order");
        }
        _column.Clear();
        var data = _column.GetSpan(block.DataLength)[..block.DataLength];
        source.Read(block.DataOffset, data);
        if (Crc32.HashToUInt32(data) != block.DataCrc)
        {
            return false;
        }
        var dataOffset = _file.Position;
        _file.Write(data);
        var filterStart = _filters.WrittenCount;
        var filterLog2Bits = 0;
        if (block.HasFilter)
        {
            var length = TokenFilter.ByteLength(block.FilterLog2Bits);
            var filter = _filters.GetSpan(length)[..length];
            source.Read(block.FilterOffset, filter);
            if (Crc32.HashToUInt32(filter) == block.FilterCrc)
            {
                _filters.Advance(length);
                filterLog2Bits = block.FilterLog2Bits;
            }
        }
        _blocks.Add(block with { DataOffset = dataOffset, FilterOffset = 0, FilterLog2Bits = filterLog2Bits });
        _blockFilterOffsets.Add(filterStart);
        _minTimestamp = Math.Min(_minTimestamp, block.MinTimestamp);
        _maxTimestamp = Math.Max(_maxTimestamp, block.MaxTimestamp);
        _entries += block.Entries;
        return true;
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
            _index.WriteVarint((ulong)(2 + (block.Shapes is null ? 0 : 1) + block.Fields.Length));
            WriteColumn(ColumnKind.Timestamps, block.Timestamps);
            WriteColumn(ColumnKind.Lines, block.Lines);
            if (block.Shapes is { } shapes)
            {
                WriteColumn(ColumnKind.Shapes, shapes);
                foreach (var field in block.Fields)
                {
                    WriteColumn(ColumnKind.FieldValues, field);
                }
            }
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
        _shaper?.Dispose();
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

        var stored = timestamps.StoredLength;
        ColumnRef lines;
        ColumnRef? shapes = null;
        ColumnRef[] fields = [];
        if (Shape())
        {
            var shaper = _shaper!;
            _column.Clear();
            shaper.WriteLines(_column);
            lines = WriteColumnData(_column.Span, stored, crc);
            stored += lines.StoredLength;
            _column.Clear();
            shaper.WriteShapes(_column);
            shapes = WriteColumnData(_column.Span, stored, crc);
            stored += shapes.Value.StoredLength;
            fields = new ColumnRef[shaper.FieldCount];
            for (var f = 0; f < fields.Length; f++)
            {
                _column.Clear();
                shaper.WriteValues(f, _column);
                fields[f] = WriteColumnData(_column.Span, stored, crc);
                stored += fields[f].StoredLength;
            }
        }
        else
        {
            _column.Clear();
            foreach (var length in _lengths)
            {
                _column.WriteVarint((ulong)length);
            }
            _column.Write(_lines.Span);
            lines = WriteColumnData(_column.Span, stored, crc);
            stored += lines.StoredLength;
        }

        var filterStart = _filters.WrittenCount;
        var log2Bits = TokenFilter.Build(_lines.Span, CollectionsMarshal.AsSpan(_lengths), _filters);
        var filterCrc = Crc32.HashToUInt32(_filters.WrittenSpan[filterStart..]);

        _blocks.Add(new BlockMeta(
            minTimestamp, maxTimestamp, count, _lines.Length, dataOffset, stored,
            crc.GetCurrentHashAsUInt32(), timestamps, lines, shapes, fields, 0, log2Bits, filterCrc));
        _blockFilterOffsets.Add(filterStart);
        _minTimestamp = Math.Min(_minTimestamp, minTimestamp);
        _maxTimestamp = Math.Max(_maxTimestamp, maxTimestamp);
        _entries += count;
        _timestamps.Clear();
        _lengths.Clear();
        _lines.Clear();
    }

    /// <summary>Splits the block's lines into fields; false when there is no shaper or no line is a JSON object.</summary>
    private bool Shape()
    {
        if (_shaper is null)
        {
            return false;
        }
        _shaper.Clear();
        var start = 0;
        foreach (var length in _lengths)
        {
            _shaper.Add(_lines.Span.Slice(start, length));
            start += length;
        }
        return _shaper.AnyShaped;
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
