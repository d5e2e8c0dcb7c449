using System.Collections.Concurrent;

namespace Kansoku.Agent.Pipeline;

/// <summary>
/// Free batches of one batch builder. The builder takes, the commit loop gives back; at most a few batches exist at a
/// time (one filling, the pending ones), so memory stays flat however much is read.
/// </summary>
internal sealed class BatchPool : IDisposable
{
    private readonly ConcurrentQueue<Batch> _free = new();
    private readonly int _outputCount;
    private readonly int _bufferCapacity;
    private readonly int _capacity;
    private bool _disposed;

    public BatchPool(int outputCount, int bufferCapacity, int capacity)
    {
        _outputCount = outputCount;
        _bufferCapacity = bufferCapacity;
        _capacity = capacity;
    }

    public Batch Rent() => _free.TryDequeue(out var batch) ? batch : new Batch(_outputCount, _bufferCapacity, this);

    public bool TryReturn(Batch batch)
    {
        if (Volatile.Read(ref _disposed) || _free.Count >= _capacity)
        {
            return false;
        }
        batch.Reset();
        _free.Enqueue(batch);
        return true;
    }

    public void Dispose()
    {
        Volatile.Write(ref _disposed, true);
        while (_free.TryDequeue(out var batch))
        {
            batch.ReleaseBuffers();
        }
    }
}
