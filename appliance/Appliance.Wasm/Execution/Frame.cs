namespace Appliance.Wasm.Execution;

/// <summary>A suspended caller on the machine's explicit call stack: where to continue when the callee returns.</summary>
internal struct Frame
{
    public CompiledFunction? Function;
    /// <summary>The caller's instance when it differs from the callee's; null when they are the same.</summary>
    public Instance? Instance;
    public int ReturnPc;
    public int FramePointer;
}
