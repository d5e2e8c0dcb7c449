namespace Kansoku.Storage.Logs;

/// <summary>
/// The fields of a set of <see cref="JsonLeaves"/> (one per block of the store): field f's path is the keys leading to
/// it as written in the lines (escapes included) joined by a 0x00 byte, which a JSON key cannot hold unescaped. A table
/// never changes, so a reader may cache what it derives from a field (a label name) by table and field number.
/// </summary>
public sealed class JsonFieldTable
{
    public const byte PathSeparator = 0;

    private readonly byte[] _paths;
    private readonly int[] _starts;

    /// <param name="paths">Every field's path back to back.</param>
    /// <param name="starts">Where field f's path starts in <paramref name="paths"/>, plus the end: one more than the fields.</param>
    public JsonFieldTable(byte[] paths, int[] starts)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(starts);
        _paths = paths;
        _starts = starts;
    }

    public int Count => _starts.Length - 1;

    public ReadOnlySpan<byte> Path(int field) => _paths.AsSpan(_starts[field], _starts[field + 1] - _starts[field]);
}
