using System.Threading.Channels;

namespace Kansoku.RemoteWrite.Sender;

/// <summary>
/// The shards of a queue between two reshardings: one bounded queue each, a series always in the same one (by the hash of
/// its labels) so that its samples are sent in order. Writers are the committing appenders; each queue's only reader is
/// its shard's send loop.
/// </summary>
internal sealed class ShardSet
{
    /// <summary>Before the queue starts and after it stops: every sample is refused.</summary>
    public static ShardSet None { get; } = new([], Task.CompletedTask);

    private readonly Channel<PendingSample>[] _queues;

    private ShardSet(Channel<PendingSample>[] queues, Task drained)
    {
        _queues = queues;
        Drained = drained;
    }

    public int Count => _queues.Length;

    /// <summary>Completes once every shard has sent (or given up on) all it was given after <see cref="Complete"/>.</summary>
    public Task Drained { get; }

    public int Pending
    {
        get
        {
            var pending = 0;
            foreach (var queue in _queues)
            {
                pending += queue.Reader.Count;
            }
            return pending;
        }
    }

    /// <summary>
    /// <paramref name="count"/> shards, each running <paramref name="run"/> over its queue once
    /// <paramref name="previous"/> (the shards it replaces) has drained, which keeps a series' samples in order.
    /// </summary>
    public static ShardSet Start(int count, int capacity, Task previous, Func<ChannelReader<PendingSample>, Task> run)
    {
        var queues = new Channel<PendingSample>[count];
        var loops = new Task[count];
        for (var i = 0; i < count; i++)
        {
            var queue = queues[i] = Channel.CreateBounded<PendingSample>(new BoundedChannelOptions(capacity)
            {
                SingleReader = true,
                FullMode = BoundedChannelFullMode.Wait,
            });
            loops[i] = RunAfterAsync(previous, queue.Reader, run);
        }
        return new ShardSet(queues, Task.WhenAll(loops));
    }

    private static async Task RunAfterAsync(Task previous, ChannelReader<PendingSample> queue, Func<ChannelReader<PendingSample>, Task> run)
    {
        await previous.ConfigureAwait(false);
        await run(queue).ConfigureAwait(false);
    }

    /// <summary>False when the shard is full or the set is completing (the caller counts the sample dropped).</summary>
    public bool TryEnqueue(in PendingSample sample, ulong seriesHash)
        => _queues.Length > 0 && _queues[(int)(seriesHash % (ulong)_queues.Length)].Writer.TryWrite(sample);

    /// <summary>No more samples: the shards send what they hold and stop.</summary>
    public void Complete()
    {
        foreach (var queue in _queues)
        {
            queue.Writer.TryComplete();
        }
    }
}
