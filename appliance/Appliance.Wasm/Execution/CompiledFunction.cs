namespace Appliance.Wasm.Execution;

/// <summary>A function translated to the register IR, ready to run.</summary>
/// <param name="Code">
/// The instructions. The first is the function's entry (Fuel when fuel is metered, else Enter), which also
/// describes the frame for a call (see <see cref="OpCode.Fuel"/>); execution starts there.
/// </param>
/// <param name="ParameterCount">Slots 0 .. ParameterCount-1 hold the arguments on entry.</param>
/// <param name="LocalCount">Slots ParameterCount .. LocalCount-1 are the other locals, zeroed on entry.</param>
/// <param name="FrameSize">Slots the frame needs: locals plus the deepest operand stack.</param>
internal sealed record CompiledFunction(Instruction[] Code, int ParameterCount, int LocalCount, int FrameSize, int ResultCount);
