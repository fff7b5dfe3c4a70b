using System.Runtime.CompilerServices;

namespace Appliance.Wasm.Execution;

/// <summary>
/// Operators outside the hot loop: float comparisons and unary operators, min/max/copysign, conversions,
/// references, bulk memory and tables. Float semantics follow Core spec 4.3.3 exactly: NaN-propagating
/// min/max that order -0 below +0, bitwise abs/neg/copysign, ties-to-even nearest, and trapping or
/// saturating truncation.
/// </summary>
internal sealed unsafe partial class Machine
{
    /// <summary>Fuel charged per this many bytes or elements moved by a bulk operator.</summary>
    public const int BulkFuelGranule = 64;

    private TrapCode? ExecuteOther(Instruction* i, ulong* fp, Instance instance)
    {
        bool canonicalize = _canonicalize;
        ulong b = fp[i->B];
        switch (i->Op)
        {

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

    private TrapCode? ExecuteBulk(Instruction* i, ulong* fp, Instance instance)
    {
        switch (i->Op)
        {
            case OpCode.MemoryInit:
                {
                    uint destination = (uint)fp[i->A], source = (uint)fp[i->B], count = (uint)fp[i->C];
                    Binary.DataSegment segment = instance.Module.Definition.Data[(int)i->Imm];
                    int length = instance.DroppedData[(int)i->Imm] ? 0 : segment.DataLength;
                    Memory target = instance.Memory!;
                    byte[] memory = target.Bytes;
                    if ((ulong)source + count > (ulong)length || (ulong)destination + count > (ulong)target.Length)
                    {
                        return TrapCode.MemoryOutOfBounds;
                    }

                    if (!Charge(count))
                    {
                        return TrapCode.OutOfFuel;
                    }

                    instance.Module.Definition.Bytes.AsSpan(segment.DataOffset + (int)source, (int)count).CopyTo(memory.AsSpan((int)destination));
                    target.MarkDirty(destination, count);
                    return null;
                }

            case OpCode.DataDrop:
                instance.DroppedData[(int)i->Imm] = true;
                return null;
            case OpCode.MemoryCopy:
                {
                    uint destination = (uint)fp[i->A], source = (uint)fp[i->B], count = (uint)fp[i->C];
                    Memory target = instance.Memory!;
                    byte[] memory = target.Bytes;
                    if ((ulong)source + count > (ulong)target.Length || (ulong)destination + count > (ulong)target.Length)
                    {
                        return TrapCode.MemoryOutOfBounds;
                    }

                    if (!Charge(count))
                    {
                        return TrapCode.OutOfFuel;
                    }

                    memory.AsSpan((int)source, (int)count).CopyTo(memory.AsSpan((int)destination));
                    target.MarkDirty(destination, count);
                    return null;
                }

            case OpCode.MemoryFill:
                {
                    uint destination = (uint)fp[i->A], count = (uint)fp[i->C];
                    byte value = (byte)fp[i->B];
                    Memory target = instance.Memory!;
                    byte[] memory = target.Bytes;
                    if ((ulong)destination + count > (ulong)target.Length)
                    {
                        return TrapCode.MemoryOutOfBounds;
                    }

                    if (!Charge(count))
                    {
                        return TrapCode.OutOfFuel;
                    }

                    memory.AsSpan((int)destination, (int)count).Fill(value);
                    target.MarkDirty(destination, count);
                    return null;
                }

            case OpCode.TableInit:
                {
                    uint destination = (uint)fp[i->A], source = (uint)fp[i->B], count = (uint)fp[i->C];
                    ulong[] segment = instance.ElementSegments[(int)(uint)i->Imm];
                    Table table = instance.Tables[(int)(i->Imm >> 32)];
                    if ((ulong)source + count > (ulong)segment.Length || (ulong)destination + count > table.Size)
                    {
                        return TrapCode.TableOutOfBounds;
                    }

                    if (!Charge(count))
                    {
                        return TrapCode.OutOfFuel;
                    }

                    segment.AsSpan((int)source, (int)count).CopyTo(table.Elements.AsSpan((int)destination));
                    return null;
                }

            case OpCode.ElemDrop:
                instance.ElementSegments[(int)i->Imm] = [];
                return null;
            case OpCode.TableCopy:
                {
                    uint destination = (uint)fp[i->A], source = (uint)fp[i->B], count = (uint)fp[i->C];
                    Table to = instance.Tables[(int)(uint)i->Imm];
                    Table from = instance.Tables[(int)(i->Imm >> 32)];
                    if ((ulong)source + count > from.Size || (ulong)destination + count > to.Size)
                    {
                        return TrapCode.TableOutOfBounds;
                    }

                    if (!Charge(count))
                    {
                        return TrapCode.OutOfFuel;
                    }

                    from.Elements.AsSpan((int)source, (int)count).CopyTo(to.Elements.AsSpan((int)destination));
                    return null;
                }

            case OpCode.TableGrow:
                {
                    Table table = instance.Tables[(int)i->Imm];
                    uint delta = (uint)fp[i->C];
                    if (!Charge(delta))
                    {
                        return TrapCode.OutOfFuel;
                    }

                    fp[i->A] = (uint)table.Grow(delta, fp[i->B]);
                    return null;
                }

            case OpCode.TableSize:
                fp[i->A] = instance.Tables[(int)i->Imm].Size;
                return null;
            case OpCode.TableFill:
                {
                    Table table = instance.Tables[(int)i->Imm];
                    uint start = (uint)fp[i->A], count = (uint)fp[i->C];
                    if ((ulong)start + count > table.Size)
                    {
                        return TrapCode.TableOutOfBounds;
                    }

                    if (!Charge(count))
                    {
                        return TrapCode.OutOfFuel;
                    }

                    table.Elements.AsSpan((int)start, (int)count).Fill(fp[i->B]);
                    return null;
                }

            case OpCode.TableGet:
                {
                    Table table = instance.Tables[(int)i->Imm];
                    uint index = (uint)fp[i->B];
                    if (index >= table.Size)
                    {
                        return TrapCode.TableOutOfBounds;
                    }

                    fp[i->A] = table.Elements[index];
                    return null;
                }

            case OpCode.TableSet:
                {
                    Table table = instance.Tables[(int)i->Imm];
                    uint index = (uint)fp[i->A];
                    if (index >= table.Size)
                    {
                        return TrapCode.TableOutOfBounds;
                    }

                    table.Elements[index] = fp[i->B];
                    return null;
                }

            default:
                throw new InvalidOperationException($"the interpreter has no case for {i->Op}");
        }
    }

    /// <summary>Bulk operators pay one unit of fuel per <see cref="BulkFuelGranule"/> bytes or elements.</summary>
    private bool Charge(uint count)
    {
        if (!_store.Engine.Config.MeterFuel)
        {
            return true;
        }

        long cost = count / BulkFuelGranule;
        if (_store.Fuel < cost)
        {
            return false;
        }

        _store.Fuel -= cost;
        return true;
    }

    /// <summary>
    /// u64 to f32 with one rounding (Core spec 4.3.4, convert). Some runtimes convert through double, which
    /// rounds twice; above 2^63 the value is halved keeping a sticky bit, converted as signed, then doubled.
    /// </summary>
    private static float UnsignedToSingle(ulong value) =>
        (long)value >= 0 ? (long)value : (float)(long)((value >> 1) | (value & 1)) * 2f;

    private static double UnsignedToDouble(ulong value) =>
        (long)value >= 0 ? (long)value : (double)(long)((value >> 1) | (value & 1)) * 2d;

    private static TrapCode? Store32(ulong* fp, Instruction* i, uint value)
    {
        fp[i->A] = value;
        return null;
    }

    private static TrapCode? Store64(ulong* fp, Instruction* i, ulong value)
    {
        fp[i->A] = value;
        return null;
    }

    /// <summary>Trapping truncation: NaN traps as invalid, values outside (lower, upper) exclusive trap as overflow.</summary>
    private static TrapCode? TruncateSigned(double value, double lower, double upper, out long result)
    {
        result = 0;
        if (double.IsNaN(value))
        {
            return TrapCode.InvalidConversionToInteger;
        }

        if (!(value > lower && value < upper))
        {
            return TrapCode.IntegerOverflow;
        }

        result = (long)Math.Truncate(value);
        return null;
    }

    private static TrapCode? TruncateUnsigned64(double value, ulong* fp, Instruction* i)
    {
        if (double.IsNaN(value))
        {
            return TrapCode.InvalidConversionToInteger;
        }

        if (!(value > -1.0 && value < 18446744073709551616.0))
        {
            return TrapCode.IntegerOverflow;
        }

        fp[i->A] = (ulong)Math.Truncate(value);
        return null;
    }

    private static long SaturateSigned(double value, long minimum, long maximum)
    {
        if (double.IsNaN(value))
        {
            return 0;
        }

        if (value <= minimum)
        {
            return minimum;
        }

        if (value >= maximum)
        {
            return maximum;
        }

        return (long)Math.Truncate(value);
    }

    private static ulong SaturateUnsigned(double value, ulong maximum)
    {
        if (double.IsNaN(value) || value <= 0)
        {
            return 0;
        }

        if (value >= maximum)
        {
            return maximum;
        }

        return (ulong)Math.Truncate(value);
    }

    /// <summary>Rounding operators return a quiet NaN for a NaN input (Core spec 4.3.3, nans).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong F32Unary(float result, ulong input, bool canonicalize)
    {
        if (float.IsNaN(result))
        {
            // A NaN input propagates quieted; a NaN made from a number (sqrt of a negative) is the default NaN.
            return canonicalize ? CanonicalNaN32 : float.IsNaN(F32(input)) ? ((uint)input | 0x0040_0000u) : CanonicalNaN32;
        }

        return BitConverter.SingleToUInt32Bits(result);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong F64Unary(double result, ulong input, bool canonicalize)
    {
        if (double.IsNaN(result))
        {
            return canonicalize ? CanonicalNaN64 : double.IsNaN(F64(input)) ? (input | 0x0008_0000_0000_0000UL) : CanonicalNaN64;
        }

        return BitConverter.DoubleToUInt64Bits(result);
    }

    private static ulong F32MinMax(ulong left, ulong right, bool minimum, bool canonicalize)
    {
        float a = F32(left), b = F32(right);
        if (float.IsNaN(a) || float.IsNaN(b))
        {
            return canonicalize ? CanonicalNaN32 : ((uint)(float.IsNaN(a) ? left : right) | 0x0040_0000u);
        }

        if (a == b)
        {
            // -0 and +0 compare equal; min takes the sign bit if either has it, max only if both do.
            return minimum ? (uint)(left | right) : (uint)(left & right);
        }

        return minimum ? (a < b ? left : right) : (a > b ? left : right);
    }

    private static ulong F64MinMax(ulong left, ulong right, bool minimum, bool canonicalize)
    {
        double a = F64(left), b = F64(right);
        if (double.IsNaN(a) || double.IsNaN(b))
        {
            return canonicalize ? CanonicalNaN64 : ((double.IsNaN(a) ? left : right) | 0x0008_0000_0000_0000UL);
        }

        if (a == b)
        {
            return minimum ? left | right : left & right;
        }

        return minimum ? (a < b ? left : right) : (a > b ? left : right);
    }
}
