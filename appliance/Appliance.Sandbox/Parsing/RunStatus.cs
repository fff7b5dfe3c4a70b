namespace Appliance.Sandbox.Parsing;

/// <summary>How one sandbox's run on one frame ended.</summary>
public enum RunStatus : byte
{
    /// <summary>The guest returned, and its result lifted cleanly into an outcome.</summary>
    Completed,

    /// <summary>The guest trapped (fuel, memory, stack, unreachable, …): an abstention.</summary>
    Trapped,

    /// <summary>The guest returned a result the host refused to lift (pointer out of bounds, bad case, invalid UTF-8, …): an abstention.</summary>
    Malformed,
}
