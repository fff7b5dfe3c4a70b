namespace Appliance.Wasm.Execution;

/// <summary>
/// A suspended caller on the machine's explicit call stack: where to continue when the callee returns. It
/// holds only pointers (into the pinned instruction arrays, kept alive by their module, and into the pinned
/// value stack), so the frame stack is a pinned array the interpreter walks with a pointer, and a call pays
/// no GC write barrier.
/// </summary>
internal unsafe struct Frame
{
    /// <summary>
    /// The caller's next instruction. Its lowest bit (instructions are 8-byte aligned) is set when the callee
    /// runs in another instance, whose caller instance waits in <c>Machine._callerInstances</c> at the same
    /// index; <see cref="EndOfRun"/> marks the sentinel frame that ends a run.
    /// </summary>
    public Instruction* ReturnIp;

    /// <summary>The caller's frame: its slot 0 in the value stack.</summary>
    public ulong* FramePointer;

    /// <summary>The return address of the sentinel frame: returning to it ends the run.</summary>
    public static Instruction* EndOfRun => (Instruction*)1;
}
