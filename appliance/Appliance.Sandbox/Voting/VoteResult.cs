namespace Appliance.Sandbox.Voting;

/// <summary>The result of one voted frame. <see cref="Outcome"/> is valid until the triplet decodes the next frame.</summary>
public readonly ref struct VoteResult
{
    public VoteResult(Verdict verdict, ReadOnlySpan<byte> outcome, int dissenters, FaultKind fault, int faultInstance)
    {
        Verdict = verdict;
        Outcome = outcome;
        Dissenters = dissenters;
        Fault = fault;
        FaultInstance = faultInstance;
    }

    public Verdict Verdict { get; }

    /// <summary>The winning canonical outcome (see <see cref="Parsing.Outcome"/>); empty on a split.</summary>
    public ReadOnlySpan<byte> Outcome { get; }

    /// <summary>One bit per instance that abstained or was outvoted.</summary>
    public int Dissenters { get; }

    /// <summary>The fault injected on this frame, if any, and into which instance.</summary>
    public FaultKind Fault { get; }

    public int FaultInstance { get; }
}
