namespace Appliance.Wasm.Execution;

/// <summary>Facts about operators that the translator and the interpreter share.</summary>
internal static class OpCodeFacts
{
    /// <summary>Whether the instruction jumps to the target in its Imm (BrTable's entries are such jumps; BrTable is not).</summary>
    public static bool IsJump(this OpCode op) =>
        op is OpCode.Br or OpCode.BrIfNez or OpCode.BrIfEqz
            or >= OpCode.BrI32Eq and <= OpCode.BrI32GeU
            or >= OpCode.BrI32EqImm and <= OpCode.BrI32GeUImm
            or >= OpCode.AddBrI32Eq and <= OpCode.AddBrIfEqz
            or >= OpCode.AddSlotBrI32Eq and <= OpCode.AddSlotBrIfEqz;
}
