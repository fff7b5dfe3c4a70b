namespace Appliance.Sandbox.Voting;

/// <summary>
/// Decides, frame by frame, whether to inject a fault into one random instance.
/// Seeded, so a run can be repeated. Off unless a rate is above zero.
/// </summary>
public sealed class FaultInjector
{
    private readonly Random _random;
    private readonly double _bitFlipRate;
    private readonly double _trapRate;
    private readonly double _corruptRate;
    private readonly Func<bool>? _active;
    private readonly Func<int>? _lane;

    public FaultInjector(FaultInjectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _bitFlipRate = options.BitFlipRate;
        _trapRate = options.TrapRate;
        _corruptRate = options.CorruptRate;
        _active = options.Active;
        _lane = options.Lane;
        Seed = options.Seed != 0 ? options.Seed : Random.Shared.NextInt64(1, long.MaxValue);
        _random = new Random(unchecked((int)Seed ^ (int)(Seed >> 32)));
    }

    /// <summary>The seed in use (the configured one, or the one picked at start), to repeat a run.</summary>
    public long Seed { get; }

    /// <summary>
    /// Picks the fault for the next frame: the kind, the instance (the chosen lane, if one is chosen, else a random one)
    /// and, for a bit flip, the bit (below <paramref name="memoryBits"/>). The random draws are the same either way, so a
    /// seed repeats its run.
    /// </summary>
    public FaultKind Next(int instances, long memoryBits, out int instance, out long bit)
    {
        double roll = _random.NextDouble();
        instance = _random.Next(instances);
        bit = memoryBits > 0 ? _random.NextInt64(memoryBits) : 0;
        if (_lane?.Invoke() is int lane && lane >= 0 && lane < instances)
        {
            instance = lane;
        }

        return _active is not null && !_active() ? FaultKind.None
            : roll < _bitFlipRate ? FaultKind.BitFlip
            : roll < _bitFlipRate + _trapRate ? FaultKind.Trap
            : roll < _bitFlipRate + _trapRate + _corruptRate ? FaultKind.CorruptResult
            : FaultKind.None;
    }
}
