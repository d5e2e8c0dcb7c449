using Kansoku.RemoteWrite.Sender;

namespace Kansoku.RemoteWrite.Tests;

public sealed class ShardPlannerTests
{
    private static readonly TimeSpan s_tick = TimeSpan.FromSeconds(10);

    [Fact]
    public void Shards_grow_to_what_the_send_time_per_sample_needs_and_stay_within_the_bounds()
    {
        var planner = new ShardPlanner(1, 50, s_tick);
        // 1000 samples/s in and out; sending takes 8 s of every 10 s on one shard: 0.008 s per sample... per shard-second.
        // 10 000 samples in 10 s took 80 s of send time: 8 ms a sample, 1000/s needs 8 shards.
        Assert.Equal(8, planner.Next(1, 10_000, 10_000, TimeSpan.FromSeconds(80), pending: 0));
        Assert.Equal(8.0, planner.Desired, precision: 6);
        // The same rates again: within the tolerance of 8, nothing changes.
        Assert.Equal(8, planner.Next(8, 20_000, 20_000, TimeSpan.FromSeconds(160), pending: 0));
        // Ten times the input for many ticks: capped at max_shards.
        var shards = 8;
        long samplesIn = 20_000, sent = 20_000;
        var sendTime = TimeSpan.FromSeconds(160);
        for (var i = 0; i < 30; i++)
        {
            samplesIn += 100_000;
            sent += 100_000;
            sendTime += TimeSpan.FromSeconds(800);
            shards = planner.Next(shards, samplesIn, sent, sendTime, pending: 0);
        }
        Assert.Equal(50, shards);
    }

    [Fact]
    public void Shards_shrink_when_idle_but_not_while_far_behind_and_never_below_min()
    {
        var planner = new ShardPlanner(2, 50, s_tick);
        Assert.Equal(2, planner.Next(10, 1_000, 1_000, TimeSpan.FromSeconds(1), pending: 0));

        var behind = new ShardPlanner(2, 50, s_tick);
        Assert.Equal(10, behind.Next(10, 1_000, 1_000, TimeSpan.FromSeconds(1), pending: 5_000));
    }

    [Fact]
    public void Nothing_sent_yet_keeps_the_count()
    {
        var planner = new ShardPlanner(1, 50, s_tick);
        Assert.Equal(3, planner.Next(3, 1_000, 0, TimeSpan.Zero, pending: 1_000));
    }
}
