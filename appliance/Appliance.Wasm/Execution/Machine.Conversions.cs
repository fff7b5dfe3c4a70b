namespace Appliance.Wasm.Execution;

/// <summary>
/// Conversions between integers and floats (Core spec 4.3.4): u64 to f32/f64 with one rounding, trapping
/// truncation (NaN traps as an invalid conversion, out-of-range values as an overflow) and saturating
/// truncation (NaN gives 0, out-of-range values clamp).
/// </summary>
internal sealed unsafe partial class Machine
{
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
}
