using System.Runtime.InteropServices;

namespace Appliance.Wasm.Execution;

/// <summary>
/// One IR instruction (24 bytes): an operator, a jump's fuel, three operands and a 64-bit immediate. The
/// immediate's halves have names of their own for the instructions that use them apart: a jump's target
/// (<see cref="Jump"/>) and a fused instruction's fourth operand (<see cref="D"/>).
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
internal struct Instruction
{
    /// <summary>Bytes per instruction: jumps are encoded as byte offsets from themselves.</summary>
    public const int Size = 24;

    [FieldOffset(0)]
    public OpCode Op;

    /// <summary>A jump back to a loop: the fuel of the loop's region, paid as it jumps past the loop's Fuel instruction.</summary>
    [FieldOffset(2)]
    public ushort Cost;

    [FieldOffset(4)]
    public int A;

    [FieldOffset(8)]
    public int B;

    [FieldOffset(12)]
    public int C;

    [FieldOffset(16)]
    public ulong Imm;

    /// <summary>A jump's target (the low half of Imm): an instruction index while translating, then a byte offset from the jump.</summary>
    [FieldOffset(16)]
    public int Jump;

    /// <summary>A fused instruction's fourth operand (the high half of Imm).</summary>
    [FieldOffset(20)]
    public int D;

    public Instruction(OpCode op, int a = 0, int b = 0, int c = 0, ulong imm = 0)
    {
        Op = op;
        Cost = 0;
        A = a;
        B = b;
        C = c;
        Imm = imm;
    }

    public override readonly string ToString() => $"{Op} a={A} b={B} c={C} imm={Imm} cost={Cost}";
}
