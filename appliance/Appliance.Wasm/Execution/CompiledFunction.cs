namespace Appliance.Wasm.Execution;

/// <summary>A function translated to the register IR, ready to run.</summary>
/// <param name="Code">The instructions; execution starts at 0.</param>
/// <param name="ParameterCount">Slots 0 .. ParameterCount-1 hold the arguments on entry.</param>
/// <param name="LocalCount">Slots ParameterCount .. LocalCount-1 are the other locals, zeroed on entry.</param>
/// <param name="FrameSize">Slots the frame needs: locals plus the deepest operand stack.</param>
internal sealed record CompiledFunction(Instruction[] Code, int ParameterCount, int LocalCount, int FrameSize, int ResultCount)
{
    /// <summary>Fuel of the entry block when the code starts with a Fuel instruction: a call pays it and skips that instruction.</summary>
    public long EntryFuel { get; } = Code.Length > 0 && Code[0].Op == OpCode.Fuel ? (long)Code[0].Imm : 0;
}
