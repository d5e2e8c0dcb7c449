using Kansoku.Core.Labels;

namespace Kansoku.Storage.Logs;

/// <summary>
/// The entries of one stream, in the requested direction. <see cref="Line"/> is valid until the next
/// <see cref="MoveNext"/>: copy it to keep it. Not thread-safe.
/// </summary>
public interface ILogStreamReader : IDisposable
{
    LabelSet Labels { get; }

    bool MoveNext();

    long Timestamp { get; }

    ReadOnlySpan<byte> Line { get; }

    /// <summary>
    /// The current line's JSON leaves when the store kept it split into fields (see <see cref="JsonLeaves"/>); false
    /// when the line was stored whole, or the store does not split lines. Valid until the next <see cref="MoveNext"/>.
    /// </summary>
    bool TryGetJsonLeaves(out JsonLeaves leaves)
    {
        leaves = default;
        return false;
    }
}
