namespace Kansoku.Agent.Pipeline;

/// <summary>
/// Counters of one input or output, exported on /metrics. Updated with Interlocked from any thread; read without locks.
/// </summary>
internal sealed class ComponentCounters
{
    private long _records;
    private long _bytes;
    private long _emittedRecords;
    private long _emittedBytes;
    private long _retries;
    private long _failedBatches;
    private long _droppedRecords;
    private long _bufferedBytes;

    public ComponentCounters(string kind, string name)
    {
        Kind = kind;
        Name = name;
    }

    /// <summary><c>input</c> or <c>output</c>.</summary>
    public string Kind { get; }
    public string Name { get; }

    /// <summary>Records read (inputs) or accepted into the buffer (outputs).</summary>
    public long Records => Volatile.Read(ref _records);
    public long Bytes => Volatile.Read(ref _bytes);
    /// <summary>Records delivered downstream and acknowledged.</summary>
    public long EmittedRecords => Volatile.Read(ref _emittedRecords);
    public long EmittedBytes => Volatile.Read(ref _emittedBytes);
    public long Retries => Volatile.Read(ref _retries);
    public long FailedBatches => Volatile.Read(ref _failedBatches);
    /// <summary>Records dropped by a configured limit. Stays 0 unless the user asked for dropping.</summary>
    public long DroppedRecords => Volatile.Read(ref _droppedRecords);
    public long BufferedBytes => Volatile.Read(ref _bufferedBytes);

    public void AddRead(long records, long bytes)
    {
        Interlocked.Add(ref _records, records);
        Interlocked.Add(ref _bytes, bytes);
    }

    public void AddEmitted(long records, long bytes)
    {
        Interlocked.Add(ref _emittedRecords, records);
        Interlocked.Add(ref _emittedBytes, bytes);
    }

    public void AddRetry() => Interlocked.Increment(ref _retries);
    public void AddFailedBatch() => Interlocked.Increment(ref _failedBatches);
    public void AddDropped(long records) => Interlocked.Add(ref _droppedRecords, records);
    public void SetBufferedBytes(long bytes) => Volatile.Write(ref _bufferedBytes, bytes);
}
