namespace Appliance.Modbus;

/// <summary>
/// Exponential backoff with jitter: the first delay is Initial, each further failure doubles it up to
/// Max, and each delay is then varied at random by up to ±Jitter of itself. Success resets it.
/// </summary>
internal sealed class ReconnectBackoff(BackoffOptions options, Random random)
{
    private int _failures;

    /// <summary>Failures since the last success.</summary>
    public int Failures => _failures;

    /// <summary>Counts a failure and returns how long to wait before the next attempt.</summary>
    public TimeSpan NextDelay()
    {
        double baseTicks = options.Initial.Ticks * Math.Pow(2, Math.Min(_failures, 62));
        baseTicks = Math.Min(baseTicks, options.Max.Ticks);
        _failures++;
        double jitter = options.Jitter * ((2 * random.NextDouble()) - 1);
        return TimeSpan.FromTicks((long)Math.Max(0, baseTicks * (1 + jitter)));
    }

    public void Reset() => _failures = 0;
}
