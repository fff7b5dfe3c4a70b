namespace Appliance.Wasm.Conformance;

/// <summary>How two engines' <see cref="FuzzExec"/> transcripts of one module compare.</summary>
public enum FuzzExecVerdict
{
    /// <summary>Every export had the same logs and outcome.</summary>
    Same,

    /// <summary>Equal up to an export where one side exhausted its stack; the rest was not compared.</summary>
    Skipped,

    /// <summary>The engines disagree.</summary>
    Divergent,
}
