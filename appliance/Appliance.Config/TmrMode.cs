namespace Appliance.Config;

/// <summary>How many parser instances decode each frame and how many must agree.</summary>
public enum TmrMode
{
    /// <summary>Three instances; two must agree (triple modular redundancy).</summary>
    TwoOutOfThree,

    /// <summary>Two instances, hot standby: the second answers when the first traps; a disagreement is bad quality.</summary>
    OneOutOfTwo,

    /// <summary>One instance, no voting.</summary>
    OneOutOfOne,
}
