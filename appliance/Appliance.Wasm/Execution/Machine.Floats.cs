using System.Runtime.CompilerServices;

namespace Appliance.Wasm.Execution;

/// <summary>
/// Float semantics that need more than one .NET operator (Core spec 4.3.3): NaN results of rounding and
/// square root, and NaN-propagating min/max that order -0 below +0. With <c>canonicalize</c> every NaN
/// result is the canonical NaN, so that voted instances agree bit for bit.
/// </summary>
internal sealed unsafe partial class Machine
{
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
