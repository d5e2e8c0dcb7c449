using Kansoku.Agent.Outputs.Batching;

namespace Kansoku.Agent.Tests.Outputs;

public sealed class BackoffTests
{
    [Fact]
    public void Ceiling_doubles_up_to_the_cap()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60], Enumerable.Range(0, 8).Select(a => backoff.Ceiling(a).TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(60), backoff.Ceiling(500));
    }

    [Fact]
    public void Delays_are_full_jitter_within_the_ceiling()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), new Random(42));
        var delays = Enumerable.Range(0, 200).Select(_ => backoff.Delay(3)).ToList();
        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromSeconds(8)));
        Assert.True(delays.Min() < TimeSpan.FromSeconds(2) && delays.Max() > TimeSpan.FromSeconds(6), "spread over the whole range");
    }

    [Fact]
    public void Retry_After_wins_and_is_bounded()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(20));
        Assert.Equal(TimeSpan.FromSeconds(7), backoff.Delay(0, TimeSpan.FromSeconds(7)));
        Assert.Equal(Backoff.MaxRetryAfter, backoff.Delay(0, TimeSpan.FromDays(1)));
    }
}
