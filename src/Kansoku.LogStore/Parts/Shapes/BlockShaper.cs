using Kansoku.LogStore.Binary;

namespace Kansoku.LogStore.Parts.Shapes;

/// <summary>
/// Builds the columns of a block whose lines are stored column-wise (docs/format/logstore.md, "Shaped blocks"): every
/// line that is a JSON object is split into its leaf values (<see cref="JsonLineSplitter"/>); each distinct path of keys
/// is a field with a column of its values, and each distinct arrangement of fields and the bytes between them is a
/// shape. A line is then its shape's number plus one value per field it has. Lines that are not JSON objects, or that
/// would pass the block's limits on fields and shapes, are kept whole in the lines column. Values of one field sit
/// together, so zstd sees runs of similar bytes (levels, paths, ids) instead of interleaved records, and the keys are
/// stored once per shape rather than once per line.
/// </summary>
internal sealed class BlockShaper : IDisposable
{
    /// <summary>Fields per block: the part index lists a block's columns in a byte-sized count.</summary>
    public const int MaxFields = 240;

    public const int MaxShapes = 4096;

    private readonly ByteStringTable _fields = new();
    private readonly ByteStringTable _shapeKeys = new();
    private readonly ByteBuffer _shapeTable = new(1024);
    private readonly List<int> _shapeFields = [];
    private readonly List<int> _shapeFieldStarts = [];
    private readonly List<ValueColumn> _values = [];
    private readonly ByteBuffer _shapeIds = new(1024);
    private readonly ByteBuffer _rawLengths = new(256);
    private readonly ByteBuffer _rawLines = new(4096);
    private readonly ByteBuffer _key = new(1024);
    private readonly ByteBuffer _paths = new(1024);
    private readonly ByteBuffer _path = new(256);
    private readonly List<JsonLeaf> _leaves = [];
    private int _shaped;

    /// <summary>Whether any line of the block was split: if not, the block is written as plain lines.</summary>
    public bool AnyShaped => _shaped > 0;

    public int FieldCount => _fields.Count;

    public void Add(ReadOnlySpan<byte> line)
    {
        if (!TryShape(line, out var shape))
        {
            _shapeIds.WriteVarint(0);
            _rawLengths.WriteVarint((ulong)line.Length);
            _rawLines.Write(line);
            return;
        }
        _shapeIds.WriteVarint((ulong)shape + 1);
        var fields = _shapeFieldStarts[shape];
        foreach (var leaf in _leaves)
        {
            _values[_shapeFields[fields++]].Add(line[leaf.ValueStart..leaf.ValueEnd]);
        }
        _shaped++;
    }

    /// <summary>The lines column: length of every line kept whole, then their bytes.</summary>
    public void WriteLines(ByteBuffer column)
    {
        column.Write(_rawLengths.Span);
        column.Write(_rawLines.Span);
    }

    /// <summary>The shapes column: the field table, the shapes, then every entry's shape number (0: kept whole).</summary>
    public void WriteShapes(ByteBuffer column)
    {
        column.WriteVarint((ulong)_fields.Count);
        for (var f = 0; f < _fields.Count; f++)
        {
            var name = _fields[f];
            column.WriteVarint((ulong)name.Length);
            column.Write(name);
        }
        column.WriteVarint((ulong)_shapeKeys.Count);
        column.Write(_shapeTable.Span);
        column.Write(_shapeIds.Span);
    }

    /// <summary>Field <paramref name="field"/>'s column: the number of values, every value's length, then the values.</summary>
    public void WriteValues(int field, ByteBuffer column) => _values[field].WriteTo(column);

    public void Clear()
    {
        _fields.Clear();
        _shapeKeys.Clear();
        _shapeTable.Clear();
        _shapeFields.Clear();
        _shapeFieldStarts.Clear();
        foreach (var values in _values)
        {
            values.Clear();
        }
        _shapeIds.Clear();
        _rawLengths.Clear();
        _rawLines.Clear();
        _shaped = 0;
    }

    public void Dispose()
    {
        _fields.Dispose();
        _shapeKeys.Dispose();
        _shapeTable.Dispose();
        foreach (var values in _values)
        {
            values.Dispose();
        }
        _shapeIds.Dispose();
        _rawLengths.Dispose();
        _rawLines.Dispose();
        _key.Dispose();
        _paths.Dispose();
        _path.Dispose();
    }

    /// <summary>
    /// Finds (or adds) the shape of a line. A shape is looked up by its key, the line with its values left out (each
    /// leaf's path and the gap before it, then the last gap), so a line costs one hash; field numbers are resolved only
    /// when a shape is new.
    /// </summary>
    private bool TryShape(ReadOnlySpan<byte> line, out int shape)
    {
        shape = -1;
        if (!JsonLineSplitter.TrySplit(line, _leaves, _paths, _path))
        {
            return false;
        }
        _key.Clear();
        var gapStart = 0;
        foreach (var leaf in _leaves)
        {
            WriteSized(_key, LeafPath(leaf));
            WriteSized(_key, line[gapStart..leaf.ValueStart]);
            gapStart = leaf.ValueEnd;
        }
        WriteSized(_key, line[gapStart..]);
        shape = _shapeKeys.Find(_key.Span);
        return shape >= 0 || TryAddShape(line, out shape);
    }

    private bool TryAddShape(ReadOnlySpan<byte> line, out int shape)
    {
        shape = -1;
        if (_shapeKeys.Count >= MaxShapes)
        {
            return false;
        }
        var newFields = 0;
        foreach (var leaf in _leaves)
        {
            if (_fields.Find(LeafPath(leaf)) < 0)
            {
                newFields++;
            }
        }
        if (_fields.Count + newFields > MaxFields)
        {
            return false;
        }
        _shapeFieldStarts.Add(_shapeFields.Count);
        _shapeTable.WriteVarint((ulong)_leaves.Count);
        foreach (var leaf in _leaves)
        {
            var field = _fields.GetOrAdd(LeafPath(leaf));
            if (field == _values.Count)
            {
                _values.Add(new ValueColumn());
            }
            _shapeFields.Add(field);
            _shapeTable.WriteVarint((ulong)field);
        }
        var gapStart = 0;
        foreach (var leaf in _leaves)
        {
            WriteSized(_shapeTable, line[gapStart..leaf.ValueStart]);
            gapStart = leaf.ValueEnd;
        }
        WriteSized(_shapeTable, line[gapStart..]);
        shape = _shapeKeys.GetOrAdd(_key.Span);
        return true;
    }

    private ReadOnlySpan<byte> LeafPath(JsonLeaf leaf) => _paths.Span.Slice(leaf.PathStart, leaf.PathLength);

    private static void WriteSized(ByteBuffer buffer, ReadOnlySpan<byte> bytes)
    {
        buffer.WriteVarint((ulong)bytes.Length);
        buffer.Write(bytes);
    }

    /// <summary>One field's values in entry order.</summary>
    private sealed class ValueColumn : IDisposable
    {
        private readonly ByteBuffer _lengths = new(256);
        private readonly ByteBuffer _bytes = new(4096);
        private int _count;

        public void Add(ReadOnlySpan<byte> value)
        {
            _lengths.WriteVarint((ulong)value.Length);
            _bytes.Write(value);
            _count++;
        }

        public void WriteTo(ByteBuffer column)
        {
            column.WriteVarint((ulong)_count);
            column.Write(_lengths.Span);
            column.Write(_bytes.Span);
        }

        public void Clear()
        {
            _lengths.Clear();
            _bytes.Clear();
            _count = 0;
        }

        public void Dispose()
        {
            _lengths.Dispose();
            _bytes.Dispose();
        }
    }
}
