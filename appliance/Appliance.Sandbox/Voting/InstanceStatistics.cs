namespace Appliance.Sandbox.Voting;

/// <summary>Counters of one lane of a triplet.</summary>
public sealed class InstanceStatistics
{
    internal InstanceStatistics(string lane)
    {
        Lane = lane;
    }

    /// <summary>The lane, "engine:guest".</summary>
    public string Lane { get; }

    /// <summary>Frames the lane was given.</summary>
    public long Frames { get; internal set; }

    /// <summary>Frames on which it completed and agreed with the voted outcome.</summary>
    public long Agreements { get; internal set; }

    /// <summary>Frames on which the instance trapped (fuel, memory, stack, unreachable, forced by fault injection).</summary>
    public long Traps { get; internal set; }

    /// <summary>Frames on which its result could not be lifted.</summary>
    public long Malformed { get; internal set; }

    /// <summary>Frames on which it completed but was outvoted.</summary>
    public long Dissents { get; internal set; }

    /// <summary>Frames after which its memory differed from the others' although its outcome agreed (a latent fault).</summary>
    public long StateDivergences { get; internal set; }

    public long Resets { get; internal set; }

    /// <summary>The last trap or lifting problem, for operators.</summary>
    public string LastFault { get; internal set; } = "";
}
