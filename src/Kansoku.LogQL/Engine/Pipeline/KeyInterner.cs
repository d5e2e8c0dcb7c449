namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary>
/// Turns the sanitized label names a parser builds per entry into shared strings, so that a key seen on every line
/// is allocated once. Bounded like Loki's interned set: past the limit, names are built each time.
/// </summary>
internal sealed class KeyInterner
{
    private const int MaxKeys = 1024;

    private readonly Dictionary<string, string> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public KeyInterner()
    {
        _lookup = _keys.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public string Get(ReadOnlySpan<char> name)
    {
        if (_lookup.TryGetValue(name, out var key))
        {
            return key;
        }
        key = name.ToString();
        if (_keys.Count < MaxKeys)
        {
            _keys[key] = key;
        }
        return key;
    }
}
