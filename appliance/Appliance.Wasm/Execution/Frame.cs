namespace Appliance.Wasm.Execution;

/// <summary>
/// A suspended caller on the machine's explicit call stack: where to continue when the callee returns.
/// Code is kept as pointers into the pinned instruction arrays (kept alive by their module), so pushing
/// a frame for a call within one instance stores no object reference and pays no GC write barrier.
/// </summary>
internal unsafe struct Frame
{
    /// <summary>The caller's instructions; null for the sentinel frame that ends a run.</summary>
    public Instruction* Code;

    /// <summary>The caller's next instruction.</summary>
    public Instruction* ReturnIp;

    /// <summary>The caller's frame, as a slot index into the value stack.</summary>
    public int FramePointer;

    /// <summary>The caller's instance when it differs from the callee's; null when they are the same.</summary>
    public Instance? Instance;
}
