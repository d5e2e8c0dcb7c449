using System.Runtime.InteropServices;

namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary>Sanitized, interned label names for raw logfmt keys.</summary>
internal sealed class LogfmtKeys
{
    private readonly KeyInterner _interner = new();
    private readonly List<char> _name = [];

    /// <summary>The label name for <paramref name="rawKey"/>, or "" when nothing is left after sanitizing.</summary>
    public string Get(ReadOnlySpan<byte> rawKey)
    {
        _name.Clear();
        LabelKeys.AppendSanitized(_name, rawKey, isFirst: true);
        return _name.Count == 0 ? "" : _interner.Get(CollectionsMarshal.AsSpan(_name));
    }
}
