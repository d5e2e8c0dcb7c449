namespace Kansoku.LogStore;

/// <summary>
/// Something readers share with the store's state (a part file, a head's pages): the state holds one reference, every
/// reader that may read it one more, and it is freed when the last is released.
/// </summary>
internal abstract class RefCounted
{
    private int _references = 1;

    /// <summary>Takes a reference for a reader; false if it was already freed (the caller retries with newer state).</summary>
    public bool TryAcquire()
    {
        while (true)
        {
            var current = Volatile.Read(ref _references);
            if (current == 0)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            Free();
        }
    }

    /// <summary>Called once, when the last reference is released.</summary>
    protected abstract void Free();
}
