using Kansoku.Agent.Inputs.Tail;

namespace Kansoku.Agent.Checkpoints;

/// <summary>
/// Every file's delivery position, durable in a <see cref="CheckpointStore"/>. The reader registers files as it opens
/// them; the commit loop advances positions after outputs acknowledge and saves. Guarded by <see cref="_lock"/>:
/// the reader and the commit loop run on different threads.
/// </summary>
internal sealed class Checkpointer
{
    private static readonly TimeSpan s_pruneInterval = TimeSpan.FromMinutes(1);

    private readonly CheckpointStore _store;
    private readonly Lock _lock = new();
    // Saves come from the commit loop and from Register on the reader: one at a time, each writing its own snapshot,
    // so an older snapshot never lands after a newer one.
    private readonly Lock _saveLock = new();
    private readonly Dictionary<FileIdentity, FileCursor> _cursors = [];
    private readonly TimeProvider _time;
    private long _lastPrune;
    private long _saves;

    public Checkpointer(CheckpointStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
        foreach (var saved in store.Load())
        {
            var cursor = new FileCursor(saved.Device, saved.Inode, saved.FingerprintHash, saved.FingerprintLength, saved.Path, saved.RealPath, saved.Offset)
            {
                Finished = saved.Finished,
                Closed = true,
            };
            _cursors[new FileIdentity(saved.Device, saved.Inode)] = cursor;
        }
        _lastPrune = time.GetTimestamp();
    }

    public long Saves => Interlocked.Read(ref _saves);

    /// <summary>Cursors loaded from disk that no open file has claimed yet (files rotated or gone while the agent was down).</summary>
    public List<FileCursor> Unclaimed()
    {
        lock (_lock)
        {
            var list = new List<FileCursor>();
            foreach (var cursor in _cursors.Values)
            {
                if (cursor.Closed && !cursor.Finished)
                {
                    list.Add(cursor);
                }
            }
            return list;
        }
    }

    /// <summary>
    /// The saved position for a file just opened, if its identity and fingerprint match one; null for a file never seen
    /// (or a new file that reuses a deleted file's inode).
    /// </summary>
    public FileCursor? Claim(FileIdentity identity, Microsoft.Win32.SafeHandles.SafeFileHandle handle)
    {
        lock (_lock)
        {
            if (!_cursors.TryGetValue(identity, out var cursor))
            {
                return null;
            }
            if (cursor.FingerprintLength > 0 && FileFingerprint.Read(handle, cursor.FingerprintLength).Hash != cursor.FingerprintHash)
            {
                _cursors.Remove(identity);
                return null;
            }
            cursor.Closed = false;
            return cursor;
        }
    }

    /// <summary>Whether the file with this identity was already read to its end after a rotation.</summary>
    public bool IsFinished(FileIdentity identity)
    {
        lock (_lock)
        {
            return _cursors.TryGetValue(identity, out var cursor) && cursor.Finished;
        }
    }

    /// <summary>Whether some checkpointed file lived at <paramref name="realPath"/> (a file there now is its successor).</summary>
    public bool HasRealPath(string realPath)
    {
        lock (_lock)
        {
            foreach (var cursor in _cursors.Values)
            {
                if (string.Equals(cursor.RealPath, realPath, StringComparison.Ordinal))
                {
                    return true;
                }
            }
            return false;
        }
    }

    public bool IsKnown(FileIdentity identity)
    {
        lock (_lock)
        {
            return _cursors.ContainsKey(identity);
        }
    }

    public FileCursor Register(FileIdentity identity, FileFingerprint fingerprint, string path, string realPath, long offset)
    {
        var cursor = new FileCursor(identity.Device, identity.Inode, fingerprint.Hash, fingerprint.Length, path, realPath, offset);
        lock (_lock)
        {
            _cursors[identity] = cursor;
        }
        // Durable at once, not at the first commit: if the agent stops before then and the file is rotated meanwhile,
        // the next run finds it among the rotated siblings only through this entry.
        Save();
        return cursor;
    }

    /// <summary>Applies a batch the outputs acknowledged and saves the state. Called only by the commit loop.</summary>
    public void Commit(List<(FileCursor Cursor, long Offset)> positions, List<FileCursor> closed)
    {
        // Positions of one file arrive in reading order; a smaller one follows a copytruncate.
        foreach (var (cursor, offset) in positions)
        {
            cursor.Committed = offset;
        }
        foreach (var cursor in closed)
        {
            cursor.Closed = true;
        }
        Save();
    }

    public void Save()
    {
        lock (_saveLock)
        {
            List<Checkpoint> snapshot;
            lock (_lock)
            {
                PruneGoneFiles();
                snapshot = new List<Checkpoint>(_cursors.Count);
                foreach (var cursor in _cursors.Values)
                {
                    snapshot.Add(cursor.ToCheckpoint());
                }
            }
            _store.Save(snapshot);
            Interlocked.Increment(ref _saves);
        }
    }

    // Closed cursors are kept while their file still exists, so a rotated file already delivered is not read again;
    // once the file is gone (rotated away and compressed, or deleted) the entry goes.
    private void PruneGoneFiles()
    {
        if (_time.GetElapsedTime(_lastPrune) < s_pruneInterval)
        {
            return;
        }
        _lastPrune = _time.GetTimestamp();
        List<FileIdentity>? gone = null;
        foreach (var (identity, cursor) in _cursors)
        {
            if (cursor.Closed && !RotatedSiblings.IdentityExistsNear(cursor.RealPath, identity))
            {
                (gone ??= []).Add(identity);
            }
        }
        if (gone is not null)
        {
            foreach (var identity in gone)
            {
                _cursors.Remove(identity);
            }
        }
    }
}
