using Appliance.Mqtt.Client;

namespace Appliance.Mqtt.Tests.Client;

public sealed class BackoffTests
{
    [Fact]
    public void DelaysDoubleFromTheInitialDelayUpToTheMaximum()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5), 0, new Random(1));

        TimeSpan[] delays = [.. Enumerable.Range(0, 8).Select(_ => backoff.NextDelay(needsAttention: false))];

        Assert.Equal([1, 2, 4, 8, 16, 30, 30, 30], delays.Select(d => d.TotalSeconds));
    }

    [Fact]
    public void ResetStartsAgainFromTheInitialDelay()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5), 0, new Random(1));
        backoff.NextDelay(false);
        backoff.NextDelay(false);

        backoff.Reset();

        Assert.Equal(TimeSpan.FromSeconds(1), backoff.NextDelay(false));
    }

    [Fact]
    public void FailureThatNeedsAttentionWaitsAtLeastTheRefusalDelay()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5), 0, new Random(1));

        Assert.Equal(TimeSpan.FromMinutes(5), backoff.NextDelay(needsAttention: true));
        Assert.Equal(TimeSpan.FromSeconds(2), backoff.NextDelay(needsAttention: false));
    }

    [Fact]
    public void JitterStaysWithinItsFractionAndIsReproducibleFromTheSeed()
    {
        var a = new Backoff(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5), 0.2, new Random(42));
        var b = new Backoff(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5), 0.2, new Random(42));

        TimeSpan[] first = [.. Enumerable.Range(0, 200).Select(_ => a.NextDelay(false))];
        TimeSpan[] second = [.. Enumerable.Range(0, 200).Select(_ => b.NextDelay(false))];

        Assert.Equal(first, second);
        Assert.All(first, d => Assert.InRange(d.TotalSeconds, 8, 12));
        Assert.True(first.Distinct().Count() > 100, "jitter varies the delays");
    }
}
