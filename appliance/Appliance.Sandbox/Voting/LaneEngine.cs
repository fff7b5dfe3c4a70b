namespace Appliance.Sandbox.Voting;

/// <summary>The WebAssembly engines a voting lane can run its guest in.</summary>
public enum LaneEngine
{
    /// <summary>Wasmtime: Cranelift native code, the runtime users trust.</summary>
    Wasmtime,

    /// <summary>Our interpreter: pure managed code, deterministic, snapshot reset.</summary>
    Interpreter,
}
