namespace Appliance.Sandbox.Voting;

/// <summary>What the voter concluded about one frame.</summary>
public enum Verdict : byte
{
    /// <summary>Every instance completed with the same outcome (in 1oo1: the one instance completed).</summary>
    Unanimous,

    /// <summary>Enough instances agreed (2 of 3; in 1oo2 the surviving instance when the other abstained); the others dissented or abstained.</summary>
    Majority,

    /// <summary>Too few instances agreed: no value is published, the group is BAD and an alarm is raised.</summary>
    Split,
}
