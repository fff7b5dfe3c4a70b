namespace Appliance.Sandbox.Voting;

/// <summary>A fault injected into one instance before it decodes a frame.</summary>
public enum FaultKind : byte
{
    None,

    /// <summary>One random bit of the instance's linear memory is flipped.</summary>
    BitFlip,

    /// <summary>The instance is given no fuel, so it traps at its first instruction.</summary>
    Trap,

    /// <summary>One bit of the lane's lifted result is flipped after it decoded: a fault between the sandbox and the vote.</summary>
    CorruptResult,
}
