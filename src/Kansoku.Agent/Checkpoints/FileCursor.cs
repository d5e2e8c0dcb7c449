namespace Kansoku.Agent.Checkpoints;

/// <summary>
/// The delivery position of one tailed file, shared between the reader (which opens it) and the commit loop (which
/// advances it after outputs acknowledge). <see cref="Committed"/> is written only by the commit loop.
/// </summary>
internal sealed class FileCursor
{
    private long _committed;
    private volatile bool _finished;

    public FileCursor(ulong device, ulong inode, ulong fingerprintHash, int fingerprintLength, string path, string realPath, long committed)
    {
        Device = device;
        Inode = inode;
        FingerprintHash = fingerprintHash;
        FingerprintLength = fingerprintLength;
        Path = path;
        RealPath = realPath;
        _committed = committed;
    }

    public ulong Device { get; }
    public ulong Inode { get; }
    public ulong FingerprintHash { get; set; }
    public int FingerprintLength { get; set; }
    public string Path { get; }
    public string RealPath { get; }

    public long Committed
    {
        get => Volatile.Read(ref _committed);
        set => Volatile.Write(ref _committed, value);
    }

    /// <summary>Rotated away and delivered to its end; the file is not read again while it exists.</summary>
    public bool Finished
    {
        get => _finished;
        set => _finished = value;
    }

    /// <summary>The reader closed the file (rotated and done, or deleted); the cursor is dropped once that is committed.</summary>
    public bool Closed { get; set; }

    public Checkpoint ToCheckpoint() =>
        new(Device, Inode, FingerprintHash, FingerprintLength, Path, RealPath, Committed, Finished);
}
