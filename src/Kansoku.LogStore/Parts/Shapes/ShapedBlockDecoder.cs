using System.Buffers;
using Kansoku.LogStore.Binary;
using Kansoku.Storage.Logs;

namespace Kansoku.LogStore.Parts.Shapes;

/// <summary>
/// Gives back the lines of a block that <see cref="BlockShaper"/> stored column-wise: every entry's shape number picks
/// its gaps and fields, each field's column hands out its values in order, and lines kept whole come from the lines
/// column. The columns come from disk and may be corrupt: anything that does not add up throws
/// <see cref="InvalidDataException"/>. It also records where every entry's values landed in the rebuilt lines, so the
/// last block's entries can be handed out as <see cref="JsonLeaves"/>. Holds pooled arrays between blocks; dispose to
/// return them.
/// </summary>
internal sealed class ShapedBlockDecoder : IDisposable
{
    private int[] _shapeFieldStart = [];
    private int[] _shapeGapStart = [];
    private int[] _fieldIds = [];
    private int[] _gapOffsets = [];
    private int[] _gapLengths = [];
    private int[] _lengthPositions = [];
    private int[] _valueStarts = [];
    private int[] _remaining = [];
    private int[] _entryShapes = [];
    private int[] _entryValues = [];
    private int[] _valuePositions = [];
    private JsonFieldTable _table = new([], [0]);

    /// <summary>
    /// Writes the block's <paramref name="entries"/> lines back to back into <paramref name="destination"/>, which must
    /// be exactly their total length, and their start offsets (plus the end) into <paramref name="lineStarts"/>.
    /// <paramref name="fields"/> are the field columns, in field-table order, as ranges of <paramref name="columns"/>.
    /// </summary>
    public void Rebuild(ReadOnlySpan<byte> shapes, ReadOnlySpan<byte> rawLines, ReadOnlySpan<byte> columns,
        ReadOnlySpan<(int Offset, int Length)> fields, int entries, Span<byte> destination, Span<int> lineStarts)
    {
        var reader = new ByteReader(shapes);
        var fieldCount = reader.ReadLength(BlockShaper.MaxFields);
        if (fieldCount != fields.Length)
        {
            throw new InvalidDataException($"shapes name {fieldCount} fields, the block has {fields.Length} field columns");
        }
        _table = ReadFieldTable(ref reader, shapes, fieldCount);
        var shapeCount = reader.ReadLength(BlockShaper.MaxShapes);
        ReadShapes(ref reader, shapeCount, fieldCount);
        OpenFields(columns, fields);

        var ids = reader;
        var rawCount = 0;
        for (var e = 0; e < entries; e++)
        {
            var id = ids.ReadLength(shapeCount);
            if (id == 0)
            {
                rawCount++;
            }
        }
        if (ids.Remaining != 0)
        {
            throw new InvalidDataException("shapes column longer than its entries");
        }
        var rawLengths = new ByteReader(rawLines);
        for (var i = 0; i < rawCount; i++)
        {
            rawLengths.ReadLength(rawLines.Length);
        }
        var rawPosition = rawLengths.Position;
        rawLengths = new ByteReader(rawLines);

        Ensure(ref _entryShapes, entries);
        Ensure(ref _entryValues, entries);
        var position = 0;
        var valueIndex = 0;
        for (var e = 0; e < entries; e++)
        {
            lineStarts[e] = position;
            var id = reader.ReadLength(shapeCount);
            _entryShapes[e] = id - 1;
            _entryValues[e] = valueIndex;
            if (id == 0)
            {
                var length = rawLengths.ReadLength(rawLines.Length);
                Copy(rawLines, rawPosition, length, destination, ref position);
                rawPosition += length;
                continue;
            }
            var shape = id - 1;
            var gap = _shapeGapStart[shape];
            var firstField = _shapeFieldStart[shape];
            var valueCount = _shapeFieldStart[shape + 1] - firstField;
            Copy(shapes, _gapOffsets[gap], _gapLengths[gap], destination, ref position);
            Grow(ref _valuePositions, 2 * (valueIndex + valueCount));
            for (var v = 0; v < valueCount; v++)
            {
                var field = _fieldIds[firstField + v];
                if (_remaining[field]-- <= 0)
                {
                    throw new InvalidDataException($"field column {field} has fewer values than its shapes use");
                }
                var values = new ByteReader(columns[_lengthPositions[field]..]);
                var length = values.ReadLength(columns.Length);
                _lengthPositions[field] += values.Position;
                _valuePositions[2 * valueIndex] = position;
                _valuePositions[(2 * valueIndex) + 1] = length;
                valueIndex++;
                Copy(columns, _valueStarts[field], length, destination, ref position);
                _valueStarts[field] += length;
                gap++;
                Copy(shapes, _gapOffsets[gap], _gapLengths[gap], destination, ref position);
            }
        }
        lineStarts[entries] = position;
        if (position != destination.Length || rawPosition != rawLines.Length)
        {
            throw new InvalidDataException("rebuilt lines do not match the block's size");
        }
        for (var f = 0; f < fieldCount; f++)
        {
            if (_remaining[f] != 0 || _valueStarts[f] != fields[f].Offset + fields[f].Length)
            {
                throw new InvalidDataException($"field column {f} has values no shape uses");
            }
        }
    }

    public void Dispose()
    {
        Return(ref _shapeFieldStart);
        Return(ref _shapeGapStart);
        Return(ref _fieldIds);
        Return(ref _gapOffsets);
        Return(ref _gapLengths);
        Return(ref _lengthPositions);
        Return(ref _valueStarts);
        Return(ref _remaining);
        Return(ref _entryShapes);
        Return(ref _entryValues);
        Return(ref _valuePositions);
    }

    /// <summary>
    /// Entry <paramref name="entry"/> of the last rebuilt block as leaves of <paramref name="lines"/> (what was rebuilt);
    /// false when that entry was kept whole.
    /// </summary>
    public bool TryGetLeaves(int entry, ReadOnlySpan<byte> lines, ReadOnlySpan<byte> line, out JsonLeaves leaves)
    {
        var shape = _entryShapes[entry];
        if (shape < 0)
        {
            leaves = default;
            return false;
        }
        var firstField = _shapeFieldStart[shape];
        var count = _shapeFieldStart[shape + 1] - firstField;
        leaves = new JsonLeaves(line, lines, _valuePositions.AsSpan(2 * _entryValues[entry], 2 * count),
            _fieldIds.AsSpan(firstField, count), _table);
        return true;
    }

    /// <summary>The field names, copied out of the column: a table outlives the block it came from.</summary>
    private static JsonFieldTable ReadFieldTable(ref ByteReader reader, ReadOnlySpan<byte> shapes, int fieldCount)
    {
        var starts = new int[fieldCount + 1];
        var positions = new int[fieldCount];
        var total = 0;
        for (var f = 0; f < fieldCount; f++)
        {
            var length = reader.ReadLength(reader.Remaining);
            positions[f] = reader.Position;
            reader.ReadBytes(length);
            starts[f] = total;
            total += length;
        }
        starts[fieldCount] = total;
        var paths = new byte[total];
        for (var f = 0; f < fieldCount; f++)
        {
            shapes.Slice(positions[f], starts[f + 1] - starts[f]).CopyTo(paths.AsSpan(starts[f]));
        }
        return new JsonFieldTable(paths, starts);
    }

    /// <summary>Reads the shape table into flat arrays: shape s uses fields [fieldStart[s], fieldStart[s+1]) and gaps from gapStart[s].</summary>
    private void ReadShapes(ref ByteReader reader, int shapeCount, int fieldCount)
    {
        Ensure(ref _shapeFieldStart, shapeCount + 1);
        Ensure(ref _shapeGapStart, shapeCount + 1);
        var fieldIndex = 0;
        var gapIndex = 0;
        for (var s = 0; s < shapeCount; s++)
        {
            var valueCount = reader.ReadLength(JsonLineSplitter.MaxLeaves);
            _shapeFieldStart[s] = fieldIndex;
            _shapeGapStart[s] = gapIndex;
            Grow(ref _fieldIds, fieldIndex + valueCount);
            for (var v = 0; v < valueCount; v++)
            {
                var field = reader.ReadLength();
                if (field >= fieldCount)
                {
                    throw new InvalidDataException($"shape {s} uses field {field} of {fieldCount}");
                }
                _fieldIds[fieldIndex++] = field;
            }
            Grow(ref _gapOffsets, gapIndex + valueCount + 1);
            Grow(ref _gapLengths, gapIndex + valueCount + 1);
            for (var g = 0; g <= valueCount; g++)
            {
                var length = reader.ReadLength(reader.Remaining);
                _gapOffsets[gapIndex] = reader.Position;
                _gapLengths[gapIndex] = length;
                reader.ReadBytes(length);
                gapIndex++;
            }
        }
        _shapeFieldStart[shapeCount] = fieldIndex;
        _shapeGapStart[shapeCount] = gapIndex;
    }

    /// <summary>Finds where each field column's values start (after its count and lengths).</summary>
    private void OpenFields(ReadOnlySpan<byte> columns, ReadOnlySpan<(int Offset, int Length)> fields)
    {
        Ensure(ref _lengthPositions, fields.Length);
        Ensure(ref _valueStarts, fields.Length);
        Ensure(ref _remaining, fields.Length);
        for (var f = 0; f < fields.Length; f++)
        {
            var (offset, length) = fields[f];
            var column = new ByteReader(columns.Slice(offset, length));
            var count = column.ReadLength(length);
            var lengthsStart = column.Position;
            long total = 0;
            for (var v = 0; v < count; v++)
            {
                total += column.ReadLength(length);
            }
            if (total != column.Remaining)
            {
                throw new InvalidDataException($"field column {f}: value lengths do not add up");
            }
            _lengthPositions[f] = offset + lengthsStart;
            _valueStarts[f] = offset + column.Position;
            _remaining[f] = count;
        }
    }

    private static void Copy(ReadOnlySpan<byte> source, int offset, int length, Span<byte> destination, ref int position)
    {
        if (length > destination.Length - position || (uint)offset > (uint)source.Length || length > source.Length - offset)
        {
            throw new InvalidDataException("shaped block: a value or gap runs past its column or the block");
        }
        source.Slice(offset, length).CopyTo(destination[position..]);
        position += length;
    }

    private static void Ensure(ref int[] array, int length)
    {
        if (array.Length < length)
        {
            Return(ref array);
            array = ArrayPool<int>.Shared.Rent(Math.Max(length, 16));
        }
    }

    /// <summary>Like <see cref="Ensure"/>, keeping what the array holds.</summary>
    private static void Grow(ref int[] array, int length)
    {
        if (array.Length < length)
        {
            var grown = ArrayPool<int>.Shared.Rent(Math.Max(length, array.Length * 2));
            array.CopyTo(grown, 0);
            Return(ref array);
            array = grown;
        }
    }

    private static void Return(ref int[] array)
    {
        if (array.Length > 0)
        {
            ArrayPool<int>.Shared.Return(array);
        }
        array = [];
    }
}
