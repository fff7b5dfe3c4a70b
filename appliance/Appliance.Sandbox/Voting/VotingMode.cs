namespace Appliance.Sandbox.Voting;

/// <summary>How many parser instances decode each frame and how many must agree.</summary>
public enum VotingMode
{
    /// <summary>2oo3: three instances; two must agree (triple modular redundancy).</summary>
    TwoOutOfThree,

    /// <summary>1oo2: two instances, hot standby: the second answers when the first traps; a disagreement is a split.</summary>
    OneOutOfTwo,

    /// <summary>1oo1: one instance, no voting.</summary>
    OneOutOfOne,
}
