using Kansoku.Core.Labels;
using Kansoku.RemoteWrite.Sender;
using Kansoku.Storage.Metrics;
using Kansoku.Testing;

namespace Kansoku.RemoteWrite.Tests;

public sealed class RemoteWriteAppendableTests : IAsyncLifetime
{
    private TestEndpoint _endpoint = null!;

    public async Task InitializeAsync() => _endpoint = await TestEndpoint.StartAsync();

    public async Task DisposeAsync() => await _endpoint.DisposeAsync();

    [Fact]
    public async Task What_the_store_commits_is_sent_and_what_it_refuses_or_rolls_back_is_not()
    {
        var store = new RecordingAppendable();
        await using var queue = new RemoteWriteQueue(new RemoteWriteOptions
        {
            Url = _endpoint.Url,
            Queue = new RemoteWriteQueueOptions { BatchSendDeadline = TimeSpan.FromMilliseconds(20) },
        });
        queue.Start();
        var tee = new RemoteWriteAppendable(store, [queue]);
        var up = LabelSet.From(("__name__", "up"));

        var committed = tee.Appender();
        committed.Append(0, up, 10, 1);
        Assert.Throws<SampleRejectedException>(() => committed.Append(0, up, 5, 1));
        committed.Append(0, up, 20, 0);
        committed.Commit();
        var rolledBack = tee.Appender();
        rolledBack.Append(0, up, 30, 1);
        rolledBack.Rollback();

        await Eventually.WaitUntilAsync(() => queue.SamplesSent == 2);
        Assert.Equal([(10L, 1.0), (20L, 0.0)], store.Samples(up));
        Assert.Equal([("{__name__=\"up\"}", 10L, 1.0), ("{__name__=\"up\"}", 20L, 0.0)], _endpoint.AcceptedSamples());
        Assert.Equal(2, queue.SamplesIn);
    }

    [Fact]
    public async Task A_failed_commit_sends_nothing()
    {
        var store = new RecordingAppendable { FailCommits = true };
        await using var queue = new RemoteWriteQueue(new RemoteWriteOptions { Url = _endpoint.Url });
        var tee = new RemoteWriteAppendable(store, [queue]);
        var appender = tee.Appender();
        appender.Append(0, LabelSet.From(("__name__", "up")), 10, 1);

        Assert.Throws<IOException>(appender.Commit);
        Assert.Equal(0, queue.SamplesIn + queue.SamplesDropped);
    }

    [Fact]
    public async Task Transactions_larger_than_the_buffer_are_sent_whole_and_later_ones_reuse_it()
    {
        var store = new RecordingAppendable();
        await using var queue = new RemoteWriteQueue(new RemoteWriteOptions
        {
            Url = _endpoint.Url,
            Queue = new RemoteWriteQueueOptions { Capacity = 10_000, BatchSendDeadline = TimeSpan.FromMilliseconds(20) },
        });
        queue.Start();
        var tee = new RemoteWriteAppendable(store, [queue]);
        var series = Enumerable.Range(0, 1000).Select(i => LabelSet.From(("__name__", "load"), ("cpu", $"{i}"))).ToArray();

        for (var scrape = 1; scrape <= 3; scrape++)
        {
            var appender = tee.Appender();
            foreach (var labels in series)
            {
                appender.Append(0, labels, scrape * 1000, scrape);
            }
            if (scrape == 2)
            {
                appender.Rollback();
                continue;
            }
            appender.Commit();
        }

        await Eventually.WaitUntilAsync(() => queue.SamplesSent == 2000);
        Assert.Equal(2000, queue.SamplesIn);
        var sent = _endpoint.AcceptedSamples();
        Assert.Equal(1000, sent.Count(s => s.TimestampMs == 1000 && s.Value == 1));
        Assert.Equal(1000, sent.Count(s => s.TimestampMs == 3000 && s.Value == 3));
    }

    [Fact]
    public async Task A_steady_transaction_allocates_no_buffer_for_the_tee()
    {
        // Not started: the queue has no shards yet and drops what it is given, so only the tee's own allocations count.
        await using var queue = new RemoteWriteQueue(new RemoteWriteOptions { Url = _endpoint.Url });
        var tee = new RemoteWriteAppendable(new DiscardingAppendable(), [queue]);
        // One series, so that the queue's lossy series cache always hits and allocates nothing of its own.
        var load = LabelSet.From(("__name__", "load"));
        long Transaction()
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var appender = tee.Appender();
            for (var i = 0; i < 1000; i++)
            {
                appender.Append(0, load, i, 1);
            }
            appender.Commit();
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Transaction();

        var allocated = Transaction();

        // A list grown sample by sample allocated about 2 x 1024 x 24 bytes here; the appender object itself is what remains.
        Assert.InRange(allocated, 0, 256);
    }

    private sealed class DiscardingAppendable : ISampleAppendable, ISampleAppender
    {
        public ISampleAppender Appender() => this;

        public ulong Append(ulong seriesRef, LabelSet labels, long timestampMs, double value) => 1;

        public void Commit()
        {
        }

        public void Rollback()
        {
        }
    }
}
