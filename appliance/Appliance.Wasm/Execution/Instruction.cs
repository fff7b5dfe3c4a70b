using System.Runtime.InteropServices;

namespace Appliance.Wasm.Execution;

/// <summary>One IR instruction: an operator, three slot operands and a 64-bit immediate (24 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Instruction
{
    /// <summary>Bytes per instruction: jumps are encoded as byte offsets from themselves.</summary>
    public const int Size = 24;

    public OpCode Op;
    public ushort Reserved;
    public int A;
    public int B;
    public int C;
    public ulong Imm;

    public Instruction(OpCode op, int a = 0, int b = 0, int c = 0, ulong imm = 0)
    {
        Op = op;
        Reserved = 0;
        A = a;
        B = b;
        C = c;
        Imm = imm;
    }

    public override readonly string ToString() => $"{Op} a={A} b={B} c={C} imm={Imm}";
}
