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
}
