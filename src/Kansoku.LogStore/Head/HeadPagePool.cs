namespace Kansoku.LogStore.Head;

/// <summary>
/// The full-size pages of the heads, reused from one flush to the next. Without it every flush leaves its heads' pages
/// (up to <see cref="LogStorageOptions.FlushHeadBytes"/>) for a full garbage collection to find, and the process grows
/// to several times the heads' size while ingesting; with it the pages of a written head go straight to the next one.
/// Keeps at most <c>maxBytes</c> of idle pages (the store gives it one flush's worth: what the next head fills before it is written).
/// </summary>
internal sealed class HeadPagePool
{
    public const int PageBytes = 64 << 10;

    private readonly Lock _lock = new();
    private readonly Stack<byte[]> _idle = new();
    private readonly int _maxIdle;

    public HeadPagePool(long maxBytes)
    {
        _maxIdle = (int)Math.Min(int.MaxValue, Math.Max(0, maxBytes / PageBytes));
    }

    public int IdlePages
    {
        get
        {
            lock (_lock)
            {
                return _idle.Count;
            }
        }
    }

    public byte[] Rent()
    {
        lock (_lock)
        {
            if (_idle.TryPop(out var page))
            {
                return page;
            }
        }
        // On the pinned object heap: heads are long-lived and large, and a compacting collection would copy them around.
        return GC.AllocateUninitializedArray<byte>(PageBytes, pinned: true);
    }

    /// <summary>Takes back pages nobody reads any more; pages of other sizes are left to the garbage collector.</summary>
    public void Return(ReadOnlySpan<byte[]> pages)
    {
        lock (_lock)
        {
            foreach (var page in pages)
            {
                if (page.Length == PageBytes && _idle.Count < _maxIdle)
                {
                    _idle.Push(page);
                }
            }
        }
    }
}
