namespace Appliance.Wasm.Execution;

/// <summary>A suspended caller on the machine's explicit call stack: where to continue when the callee returns.</summary>
internal struct Frame
{
    public CompiledFunction? Function;
    public Instance? Instance;
    public int ReturnPc;
    public int FramePointer;
}
