using System.Buffers;
using System.IO.Hashing;
using Kansoku.LogStore.Binary;
using Kansoku.LogStore.Index;
using Kansoku.LogStore.Parts;
using Kansoku.LogStore.Parts.Shapes;
using Kansoku.Storage.Logs;

namespace Kansoku.LogStore.Query;

/// <summary>
/// A stream's entries in one part: walks its blocks in the query's direction, skipping blocks outside the range and
/// blocks whose token filter rules a needle out, and decompresses a block only when it is reached (the lines column
/// only if its timestamps leave entries in range). With needles, the first is searched across the whole decompressed
/// block at once and only the lines it hits are checked for the others.
/// A block that fails its CRC or does not decode is reported and skipped.
/// </summary>
internal sealed class BlockCursor : EntryCursor
{
    private const int MaxFilterWindowBytes = 1 << 20;

    private readonly Part _part;
    private readonly PartStream _stream;
    private readonly QueryRange _range;
    private readonly LogStoreCounters _counters;
    private readonly Action<Part, string> _reportCorrupt;
    private readonly int _endBlock;
    private int _nextBlock;
    private byte[] _data = [];
    private long[] _timestamps = [];
    private byte[] _lines = [];
    private int[] _lineStarts = [];
    private int[] _selected = [];
    private int _selectedCount;
    private int _position;
    private int _current;
    private byte[] _columns = [];
    private (int Offset, int Length)[] _fieldRanges = [];
    private ShapedBlockDecoder? _shapes;
    private bool _shaped;
    private byte[] _filterWindow = [];
    private long _filterWindowOffset;
    private int _filterWindowLength;

    public BlockCursor(Part part, PartStream stream, QueryRange range, LogStoreCounters counters, Action<Part, string> reportCorrupt)
    {
        _part = part;
        _stream = stream;
        _range = range;
        _counters = counters;
        _reportCorrupt = reportCorrupt;
        _endBlock = stream.Blocks.Length;
        if (range.Forward)
        {
            _nextBlock = range.Start == long.MinValue ? 0 : stream.FirstBlockAtOrAfter(range.Start);
        }
        else
        {
            _nextBlock = stream.Blocks.Length - 1;
            while (_nextBlock >= 0 && stream.Blocks[_nextBlock].MinTimestamp >= range.End)
            {
                _nextBlock--;
            }
        }
    }

    /// <summary>All entries of blocks [<paramref name="firstBlock"/>, <paramref name="endBlock"/>), forward: what a merge re-encodes.</summary>
    public BlockCursor(Part part, PartStream stream, int firstBlock, int endBlock, LogStoreCounters counters, Action<Part, string> reportCorrupt)
        : this(part, stream, QueryRange.All, counters, reportCorrupt)
    {
        _nextBlock = firstBlock;
        _endBlock = endBlock;
    }

    public override ReadOnlySpan<byte> Line => _lines.AsSpan(_lineStarts[_current], _lineStarts[_current + 1] - _lineStarts[_current]);

    public override bool TryGetJsonLeaves(out JsonLeaves leaves)
    {
        if (!_shaped)
        {
            leaves = default;
            return false;
        }
        return _shapes!.TryGetLeaves(_current, _lines, Line, out leaves);
    }

    public override bool MoveNext()
    {
        while (_position >= _selectedCount)
        {
            if (!LoadNextBlock())
            {
                return false;
            }
        }
        var index = _range.Forward ? _position : _selectedCount - 1 - _position;
        _current = _selected[index];
        Timestamp = _timestamps[_current];
        _position++;
        return true;
    }

    public override void Dispose()
    {
        Return(ref _data);
        Return(ref _lines);
        Return(ref _columns);
        Return(ref _filterWindow);
        _shapes?.Dispose();
        if (_timestamps.Length > 0)
        {
            ArrayPool<long>.Shared.Return(_timestamps);
            _timestamps = [];
        }
        ReturnInts(ref _lineStarts);
        ReturnInts(ref _selected);
        _selectedCount = 0;
        _position = 0;
        _nextBlock = _range.Forward ? _endBlock : -1;
    }

    private bool LoadNextBlock()
    {
        var blocks = _stream.Blocks;
        while (_nextBlock >= 0 && _nextBlock < _endBlock)
        {
            var index = _nextBlock;
            var block = blocks[index];
            _nextBlock += _range.Forward ? 1 : -1;
            if (_range.Forward ? block.MinTimestamp >= _range.End : block.MaxTimestamp < _range.Start)
            {
                _nextBlock = _range.Forward ? _endBlock : -1;
                return false;
            }
            if (block.MaxTimestamp < _range.Start || block.MinTimestamp >= _range.End)
            {
                continue;
            }
            if (_range.UseFilter && block.HasFilter && !FilterAdmits(index))
            {
                _counters.BlockSkippedByFilter();
                continue;
            }
            try
            {
                if (Decode(block))
                {
                    return true;
                }
            }
            catch (Exception e) when (e is InvalidDataException or ZstdSharp.ZstdException or OverflowException or IOException)
            {
                _counters.CorruptBlock();
                _reportCorrupt(_part, $"block at offset {block.DataOffset}: {e.Message}");
            }
        }
        return false;
    }

    private bool FilterAdmits(int index)
    {
        var block = _stream.Blocks[index];
        var length = TokenFilter.ByteLength(block.FilterLog2Bits);
        if (block.FilterOffset < _filterWindowOffset || block.FilterOffset + length > _filterWindowOffset + _filterWindowLength)
        {
            if (!LoadFilterWindow(index))
            {
                return true;
            }
        }
        var filter = _filterWindow.AsSpan((int)(block.FilterOffset - _filterWindowOffset), length);
        if (Crc32.HashToUInt32(filter) != block.FilterCrc)
        {
            _counters.CorruptBlock();
            _reportCorrupt(_part, $"filter at offset {block.FilterOffset}: CRC mismatch (block read anyway)");
            return true;
        }
        foreach (var needle in _range.Needles)
        {
            if (!TokenFilter.MayContain(filter, block.FilterLog2Bits, needle))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Reads the filters of this and the next blocks (in the query's direction) with one read: they are adjacent.</summary>
    private bool LoadFilterWindow(int index)
    {
        var blocks = _stream.Blocks;
        var low = blocks[index].FilterOffset;
        var high = low + TokenFilter.ByteLength(blocks[index].FilterLog2Bits);
        var step = _range.Forward ? 1 : -1;
        for (var i = index + step; i >= 0 && i < blocks.Length && blocks[i].HasFilter; i += step)
        {
            var start = Math.Min(low, blocks[i].FilterOffset);
            var end = Math.Max(high, blocks[i].FilterOffset + TokenFilter.ByteLength(blocks[i].FilterLog2Bits));
            if (end - start > MaxFilterWindowBytes)
            {
                break;
            }
            (low, high) = (start, end);
        }
        var length = (int)(high - low);
        if (_filterWindow.Length < length)
        {
            Return(ref _filterWindow);
            _filterWindow = ArrayPool<byte>.Shared.Rent(length);
        }
        try
        {
            _part.Read(low, _filterWindow.AsSpan(0, length));
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            _reportCorrupt(_part, $"filters at offset {low}: {e.Message}");
            _filterWindowLength = 0;
            return false;
        }
        _filterWindowOffset = low;
        _filterWindowLength = length;
        return true;
    }

    private bool Decode(BlockMeta block)
    {
        Ensure(ref _data, block.DataLength);
        _part.Read(block.DataOffset, _data.AsSpan(0, block.DataLength));
        _counters.BlockRead();
        var data = _data.AsSpan(0, block.DataLength);
        if (Crc32.HashToUInt32(data) != block.DataCrc)
        {
            throw new InvalidDataException("block CRC mismatch");
        }
        var count = block.Entries;
        DecodeTimestamps(block, data);

        // Entries in range: timestamps are sorted within a block.
        var first = LowerBound(_timestamps, count, _range.Start);
        var end = LowerBound(_timestamps, count, _range.End);
        if (first >= end)
        {
            return false;
        }
        DecodeLines(block, data);
        EnsureInts(ref _selected, end - first);
        _selectedCount = _range.Needles.Count == 0 ? SelectAll(first, end) : SelectMatching(first, end);
        _position = 0;
        return _selectedCount > 0;
    }

    private void DecodeTimestamps(BlockMeta block, ReadOnlySpan<byte> data)
    {
        var column = block.Timestamps;
        // The lines buffer doubles as scratch for the timestamps column: they are parsed out before the lines go in.
        Ensure(ref _lines, column.RawLength);
        ZstdPool.Decode(Slice(data, column), column.Codec, _lines.AsSpan(0, column.RawLength));
        if (_timestamps.Length < block.Entries)
        {
            if (_timestamps.Length > 0)
            {
                ArrayPool<long>.Shared.Return(_timestamps);
            }
            _timestamps = ArrayPool<long>.Shared.Rent(block.Entries);
        }
        var reader = new ByteReader(_lines.AsSpan(0, column.RawLength));
        var timestamp = block.MinTimestamp;
        for (var i = 0; i < block.Entries; i++)
        {
            timestamp = checked(timestamp + reader.ReadOffset());
            _timestamps[i] = timestamp;
        }
        if (timestamp != block.MaxTimestamp || reader.Remaining != 0)
        {
            throw new InvalidDataException("timestamps column does not match the block's metadata");
        }
    }

    private void DecodeLines(BlockMeta block, ReadOnlySpan<byte> data)
    {
        _shaped = block.Shapes is not null;
        if (block.Shapes is { } shapes)
        {
            RebuildShapedLines(block, shapes, data);
            return;
        }
        var column = block.Lines;
        Ensure(ref _lines, column.RawLength);
        var lines = _lines.AsSpan(0, column.RawLength);
        ZstdPool.Decode(Slice(data, column), column.Codec, lines);
        EnsureInts(ref _lineStarts, block.Entries + 1);
        var reader = new ByteReader(lines);
        var lengthsTotal = 0L;
        for (var i = 0; i < block.Entries; i++)
        {
            var length = reader.ReadLength(column.RawLength);
            _lineStarts[i + 1] = length;
            lengthsTotal += length;
        }
        if (lengthsTotal != reader.Remaining)
        {
            throw new InvalidDataException("line lengths do not add up to the lines column");
        }
        var offset = reader.Position;
        _lineStarts[0] = offset;
        for (var i = 1; i <= block.Entries; i++)
        {
            offset += _lineStarts[i];
            _lineStarts[i] = offset;
        }
    }

    /// <summary>Decompresses a shaped block's lines, shapes and field columns side by side and rebuilds its lines from them.</summary>
    private void RebuildShapedLines(BlockMeta block, ColumnRef shapes, ReadOnlySpan<byte> data)
    {
        var total = (long)block.Lines.RawLength + shapes.RawLength;
        foreach (var field in block.Fields)
        {
            total += field.RawLength;
        }
        if (total > Array.MaxLength)
        {
            throw new InvalidDataException("shaped block columns too large");
        }
        Ensure(ref _columns, (int)total);
        var columns = _columns.AsSpan(0, (int)total);
        var offset = Decompress(data, block.Lines, columns, 0);
        var shapesOffset = offset;
        offset = Decompress(data, shapes, columns, offset);
        if (_fieldRanges.Length < block.Fields.Length)
        {
            _fieldRanges = new (int, int)[block.Fields.Length];
        }
        for (var f = 0; f < block.Fields.Length; f++)
        {
            _fieldRanges[f] = (offset, block.Fields[f].RawLength);
            offset = Decompress(data, block.Fields[f], columns, offset);
        }
        Ensure(ref _lines, block.RawBytes);
        EnsureInts(ref _lineStarts, block.Entries + 1);
        _shapes ??= new ShapedBlockDecoder();
        _shapes.Rebuild(columns.Slice(shapesOffset, shapes.RawLength), columns[..block.Lines.RawLength], columns,
            _fieldRanges.AsSpan(0, block.Fields.Length), block.Entries, _lines.AsSpan(0, block.RawBytes), _lineStarts);
    }

    private static int Decompress(ReadOnlySpan<byte> data, ColumnRef column, Span<byte> columns, int offset)
    {
        ZstdPool.Decode(Slice(data, column), column.Codec, columns.Slice(offset, column.RawLength));
        return offset + column.RawLength;
    }

    private int SelectAll(int first, int end)
    {
        for (var i = first; i < end; i++)
        {
            _selected[i - first] = i;
        }
        return end - first;
    }

    private int SelectMatching(int first, int end)
    {
        var needle = _range.Needles[0];
        var count = 0;
        var position = _lineStarts[first];
        var limit = _lineStarts[end];
        while (position < limit)
        {
            var hit = _lines.AsSpan(position, limit - position).IndexOf(needle);
            if (hit < 0)
            {
                break;
            }
            hit += position;
            var line = LineAt(hit, first, end);
            if (hit + needle.Length <= _lineStarts[line + 1])
            {
                if (_range.Needles.Count == 1 || ContainsAll(_lines.AsSpan(_lineStarts[line], _lineStarts[line + 1] - _lineStarts[line]), _range.Needles))
                {
                    _selected[count++] = line;
                }
                position = _lineStarts[line + 1];
            }
            else
            {
                // The hit spans two lines: look again from the next line's start.
                position = _lineStarts[line + 1];
            }
        }
        return count;
    }

    /// <summary>The line holding byte <paramref name="offset"/>: the last i in [first, end) with start(i) &lt;= offset.</summary>
    private int LineAt(int offset, int first, int end)
    {
        var low = first;
        var high = end - 1;
        while (low < high)
        {
            var middle = (low + high + 1) >>> 1;
            if (_lineStarts[middle] <= offset)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }
        return low;
    }

    private static int LowerBound(long[] values, int count, long value)
    {
        var low = 0;
        var high = count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (values[middle] < value)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        return low;
    }

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> data, ColumnRef column) => data.Slice(column.Offset, column.StoredLength);

    private static void Ensure(ref byte[] array, int length)
    {
        if (array.Length < length)
        {
            Return(ref array);
            array = ArrayPool<byte>.Shared.Rent(length);
        }
    }

    private static void EnsureInts(ref int[] array, int length)
    {
        if (array.Length < length)
        {
            ReturnInts(ref array);
            array = ArrayPool<int>.Shared.Rent(length);
        }
    }

    private static void Return(ref byte[] array)
    {
        if (array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
        array = [];
    }

    private static void ReturnInts(ref int[] array)
    {
        if (array.Length > 0)
        {
            ArrayPool<int>.Shared.Return(array);
        }
        array = [];
    }
}
