using Kansoku.Agent.Checkpoints;

namespace Kansoku.Agent.Pipeline;

/// <summary>
/// Records on their way to the outputs: one NDJSON buffer per output, and how far each source file may be checkpointed
/// once every output has accepted its part. Owned by the reader while filling, then by the commit loop.
/// </summary>
/// <remarks>Batches are recycled through their <see cref="BatchPool"/>: steady state allocates no new buffers.</remarks>
internal sealed class Batch : IDisposable
{
    private readonly BatchPool? _pool;

    public Batch(int outputCount, int bufferCapacity, BatchPool? pool = null)
    {
        _pool = pool;
        Buffers = new ByteBuffer[outputCount];
        RecordCounts = new int[outputCount];
        for (var i = 0; i < outputCount; i++)
        {
            Buffers[i] = new ByteBuffer(bufferCapacity);
        }
    }

    public ByteBuffer[] Buffers { get; }
    public int[] RecordCounts { get; }
    public int Records { get; set; }

    /// <summary>Where each file's checkpoint may advance to; a later entry for the same cursor wins.</summary>
    public List<(FileCursor Cursor, long Offset)> Positions { get; } = [];

    /// <summary>Cursors whose files the reader closed in this batch (finished, or gone).</summary>
    public List<FileCursor> Closed { get; } = [];

    public bool IsEmpty => Records == 0 && Positions.Count == 0 && Closed.Count == 0;

    public int ByteCount
    {
        get
        {
            var total = 0;
            foreach (var buffer in Buffers)
            {
                total += buffer.Length;
            }
            return total;
        }
    }

    /// <summary>Back to the pool, emptied, once the commit loop is done with it; buffers are released only without a pool.</summary>
    public void Dispose()
    {
        if (_pool is not null && _pool.TryReturn(this))
        {
            return;
        }
        ReleaseBuffers();
    }

    internal void Reset()
    {
        foreach (var buffer in Buffers)
        {
            buffer.Clear();
        }
        Array.Clear(RecordCounts);
        Records = 0;
        Positions.Clear();
        Closed.Clear();
    }

    internal void ReleaseBuffers()
    {
        foreach (var buffer in Buffers)
        {
            buffer.Dispose();
        }
    }
}
