using Kansoku.Storage.Logs;

namespace Kansoku.LogStore.Query;

/// <summary>Entries of one stream from one source (a part or a head), in a query's time range and direction.</summary>
internal abstract class EntryCursor : IDisposable
{
    public long Timestamp { get; protected set; }

    /// <summary>The current line; valid until the next <see cref="MoveNext"/>.</summary>
    public abstract ReadOnlySpan<byte> Line { get; }

    public abstract bool MoveNext();

    /// <summary>The current line's JSON leaves, where the source kept it split into fields.</summary>
    public virtual bool TryGetJsonLeaves(out JsonLeaves leaves)
    {
        leaves = default;
        return false;
    }

    public abstract void Dispose();

    /// <summary>Whether <paramref name="line"/> contains every needle.</summary>
    protected static bool ContainsAll(ReadOnlySpan<byte> line, IReadOnlyList<byte[]> needles)
    {
        foreach (var needle in needles)
        {
            if (line.IndexOf(needle) < 0)
            {
                return false;
            }
        }
        return true;
    }
}
