namespace Appliance.Sandbox.Voting;

/// <summary>Deliberate faults, for demonstrations and tests. Off (all rates 0) unless a rate is above zero.</summary>
/// <param name="BitFlipRate">Fraction of frames on which one random instance gets one random bit of its linear memory flipped.</param>
/// <param name="TrapRate">Fraction of frames on which one random instance is forced to trap.</param>
/// <param name="Seed">Seed of the fault generator; 0 picks a random seed at start.</param>
public sealed record FaultInjectionOptions(double BitFlipRate, double TrapRate, long Seed)
{
    /// <summary>Fraction of frames on which one random lane's lifted result gets one bit flipped.</summary>
    public double CorruptRate { get; init; }

    /// <summary>Asked on every frame: false pauses the faults (a control client switched them off). Null: always active.</summary>
    public Func<bool>? Active { get; init; }

    /// <summary>Asked on every frame: the lane (0-based) every fault goes to (a control client chose it); negative or null: a random lane.</summary>
    public Func<int>? Lane { get; init; }

    public bool Enabled => BitFlipRate > 0 || TrapRate > 0 || CorruptRate > 0;
}
