namespace Kansoku.Storage.Logs;

/// <summary>
/// A stored line that is one JSON object, as the store split it: its leaves — every scalar value, array, and object
/// nested too deep to split — each with its field (the path of keys leading to it, in <see cref="Table"/>) and its
/// JSON text as written (quotes and escapes included), in the order they appear in the line. Lets <c>| json</c> read
/// values without parsing the line. Valid until the reader moves on.
/// </summary>
public readonly ref struct JsonLeaves
{
    private readonly ReadOnlySpan<byte> _text;
    private readonly ReadOnlySpan<int> _values;
    private readonly ReadOnlySpan<int> _fields;

    /// <param name="line">The whole line.</param>
    /// <param name="text">The memory <paramref name="values"/> point into (the line itself, or a larger buffer holding it).</param>
    /// <param name="values">For leaf i: its start in <paramref name="text"/> at 2i and its length at 2i + 1.</param>
    /// <param name="fields">For leaf i: its field number in <paramref name="table"/>.</param>
    public JsonLeaves(ReadOnlySpan<byte> line, ReadOnlySpan<byte> text, ReadOnlySpan<int> values, ReadOnlySpan<int> fields, JsonFieldTable table)
    {
        Line = line;
        _text = text;
        _values = values;
        _fields = fields;
        Table = table;
    }

    public ReadOnlySpan<byte> Line { get; }

    public JsonFieldTable Table { get; }

    public int Count => _fields.Length;

    public int Field(int leaf) => _fields[leaf];

    public ReadOnlySpan<byte> Value(int leaf) => _text.Slice(_values[2 * leaf], _values[(2 * leaf) + 1]);
}
