namespace Appliance.Mqtt.Client;

/// <summary>
/// Reconnect delays: <c>initial × 2^(failures−1)</c> capped at <c>max</c>, each varied by ±jitter with a
/// seedable <see cref="Random"/>. A failure that needs a person (bad credentials, unknown CA...) waits at
/// least the refusal delay, so a broker that refuses us never sees a reconnect storm.
/// </summary>
internal sealed class Backoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private readonly TimeSpan _refused;
    private readonly double _jitter;
    private readonly Random _random;
    private int _failures;

    public Backoff(TimeSpan initial, TimeSpan max, TimeSpan refused, double jitter, Random random)
    {
        _initial = initial;
        _max = max;
        _refused = refused;
        _jitter = jitter;
        _random = random;
    }

    public int Failures => _failures;

    /// <summary>The delay before the next attempt, after one more failure.</summary>
    public TimeSpan NextDelay(bool needsAttention)
    {
        _failures = Math.Min(_failures + 1, 62);
        double baseTicks = Math.Min(_initial.Ticks * Math.Pow(2, _failures - 1), _max.Ticks);
        if (needsAttention)
        {
            baseTicks = Math.Max(baseTicks, _refused.Ticks);
        }

        double factor = 1 + (_jitter * ((2 * _random.NextDouble()) - 1));
        return TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, (long)(baseTicks * factor)));
    }

    /// <summary>After a connection that stayed up long enough: the next failure starts from the initial delay again.</summary>
    public void Reset() => _failures = 0;
}
