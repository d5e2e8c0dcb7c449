using Kansoku.LogStore.Binary;
using Kansoku.Storage.Logs;

namespace Kansoku.LogStore;

/// <summary>
/// An item of the WAL writer's queue: an append (its encoded WAL record and the batches to insert into the heads
/// afterwards) or a flush's request to cut the WAL and freeze the heads.
/// </summary>
internal sealed class WriteRequest
{
    private readonly TaskCompletionSource<int> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WriteRequest(IReadOnlyList<LogStreamBatch> streams, ByteBuffer? record, long minTimestamp, long maxTimestamp)
    {
        Streams = streams;
        Record = record;
        MinTimestamp = minTimestamp;
        MaxTimestamp = maxTimestamp;
    }

    public static WriteRequest Append(IReadOnlyList<LogStreamBatch> streams, ByteBuffer record, long minTimestamp, long maxTimestamp) =>
        new(streams, record, minTimestamp, maxTimestamp);

    public static WriteRequest Cut() => new([], null, 0, 0);

    public bool IsCut => Record is null;
    public IReadOnlyList<LogStreamBatch> Streams { get; }
    public ByteBuffer? Record { get; }
    public long Bytes => Record?.Length ?? 0;
    public long MinTimestamp { get; }
    public long MaxTimestamp { get; }

    /// <summary>For an append: done once durable. For a cut: the first WAL segment after the cut.</summary>
    public Task<int> Task => _completion.Task;

    public void Complete(int result)
    {
        Record?.Dispose();
        _completion.TrySetResult(result);
    }

    public void Fail(Exception error)
    {
        Record?.Dispose();
        _completion.TrySetException(error);
    }
}
