namespace Appliance.Wasm.Execution;

/// <summary>
/// The operators the dispatch loop (<c>Machine.Execute.cs</c>) leaves to its default case because guests
/// rarely run them: float rounding, trapping and saturating truncation to integers, and references. Bulk
/// memory and table operators, which pay fuel per element, go to <see cref="ExecuteBulk"/> instead.
/// </summary>
internal sealed unsafe partial class Machine
{
    private TrapCode? ExecuteCold(Instruction* i, ulong* fp, Instance instance)
    {
        bool canonicalize = _canonicalize;
        ulong b = fp[i->B];
        switch (i->Op)
        {
            // Float rounding (Machine.Floats.cs).
            case OpCode.F32Ceil:
                fp[i->A] = F32Unary(MathF.Ceiling(F32(b)), b, canonicalize);
                return null;
            case OpCode.F32Floor:
                fp[i->A] = F32Unary(MathF.Floor(F32(b)), b, canonicalize);
                return null;
            case OpCode.F32Trunc:
                fp[i->A] = F32Unary(MathF.Truncate(F32(b)), b, canonicalize);
                return null;
            case OpCode.F32Nearest:
                fp[i->A] = F32Unary(MathF.Round(F32(b), MidpointRounding.ToEven), b, canonicalize);
                return null;
            case OpCode.F64Ceil:
                fp[i->A] = F64Unary(Math.Ceiling(F64(b)), b, canonicalize);
                return null;
            case OpCode.F64Floor:
                fp[i->A] = F64Unary(Math.Floor(F64(b)), b, canonicalize);
                return null;
            case OpCode.F64Trunc:
                fp[i->A] = F64Unary(Math.Truncate(F64(b)), b, canonicalize);
                return null;
            case OpCode.F64Nearest:
                fp[i->A] = F64Unary(Math.Round(F64(b), MidpointRounding.ToEven), b, canonicalize);
                return null;

            // Truncation to integers, trapping and saturating (Machine.Conversions.cs).
            case OpCode.I32TruncF32S:
                return TruncateSigned(F32(b), -2147483649.0, 2147483648.0, out long s32a) ?? Store32(fp, i, (uint)(int)s32a);
            case OpCode.I32TruncF64S:
                return TruncateSigned(F64(b), -2147483649.0, 2147483648.0, out long s32b) ?? Store32(fp, i, (uint)(int)s32b);
            case OpCode.I32TruncF32U:
                return TruncateSigned(F32(b), -1.0, 4294967296.0, out long u32a) ?? Store32(fp, i, (uint)u32a);
            case OpCode.I32TruncF64U:
                return TruncateSigned(F64(b), -1.0, 4294967296.0, out long u32b) ?? Store32(fp, i, (uint)u32b);
            case OpCode.I64TruncF32S:
                return TruncateSigned(F32(b), -9223372036854777856.0, 9223372036854775808.0, out long s64a) ?? Store64(fp, i, (ulong)s64a);
            case OpCode.I64TruncF64S:
                return TruncateSigned(F64(b), -9223372036854777856.0, 9223372036854775808.0, out long s64b) ?? Store64(fp, i, (ulong)s64b);
            case OpCode.I64TruncF32U:
                return TruncateUnsigned64(F32(b), fp, i);
            case OpCode.I64TruncF64U:
                return TruncateUnsigned64(F64(b), fp, i);

            case OpCode.I32TruncSatF32S:
                fp[i->A] = (uint)SaturateSigned(F32(b), int.MinValue, int.MaxValue);
                return null;
            case OpCode.I32TruncSatF64S:
                fp[i->A] = (uint)SaturateSigned(F64(b), int.MinValue, int.MaxValue);
                return null;
            case OpCode.I32TruncSatF32U:
                fp[i->A] = (uint)SaturateUnsigned(F32(b), uint.MaxValue);
                return null;
            case OpCode.I32TruncSatF64U:
                fp[i->A] = (uint)SaturateUnsigned(F64(b), uint.MaxValue);
                return null;
            case OpCode.I64TruncSatF32S:
                fp[i->A] = (ulong)SaturateSigned(F32(b), long.MinValue, long.MaxValue);
                return null;
            case OpCode.I64TruncSatF64S:
                fp[i->A] = (ulong)SaturateSigned(F64(b), long.MinValue, long.MaxValue);
                return null;
            case OpCode.I64TruncSatF32U:
                fp[i->A] = SaturateUnsigned(F32(b), ulong.MaxValue);
                return null;
            case OpCode.I64TruncSatF64U:
                fp[i->A] = SaturateUnsigned(F64(b), ulong.MaxValue);
                return null;

            // References.
            case OpCode.RefIsNull:
                fp[i->A] = b == 0 ? 1u : 0u;
                return null;
            case OpCode.RefFunc:
                fp[i->A] = instance.Functions[i->Imm].Reference;
                return null;

            default:
                throw new InvalidOperationException($"the interpreter has no case for {i->Op}");
        }
    }
}
