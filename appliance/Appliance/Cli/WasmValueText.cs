using System.Globalization;
using Appliance.Wasm;

namespace Appliance.Cli;

/// <summary>WebAssembly values on the command line: integers in decimal (or 0x hex), floats as decimals.</summary>
internal static class WasmValueText
{
    public static ulong Parse(string text, ValueKind type)
    {
        try
        {
            return type switch
            {
                ValueKind.I32 => text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                    ? uint.Parse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
                    : (uint)(text.StartsWith('-') ? int.Parse(text, CultureInfo.InvariantCulture) : (int)uint.Parse(text, CultureInfo.InvariantCulture)),
                ValueKind.I64 => text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                    ? ulong.Parse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
                    : text.StartsWith('-') ? (ulong)long.Parse(text, CultureInfo.InvariantCulture) : ulong.Parse(text, CultureInfo.InvariantCulture),
                ValueKind.F32 => BitConverter.SingleToUInt32Bits(float.Parse(text, CultureInfo.InvariantCulture)),
                ValueKind.F64 => BitConverter.DoubleToUInt64Bits(double.Parse(text, CultureInfo.InvariantCulture)),
                _ => throw new UsageException($"arguments of type {type.Name()} cannot be written on the command line"),
            };
        }
        catch (Exception error) when (error is FormatException or OverflowException)
        {
            throw new UsageException($"\"{text}\" is not a valid {type.Name()}");
        }
    }

    public static string Format(ulong value, ValueKind type) => type switch
    {
        ValueKind.I32 => ((int)(uint)value).ToString(CultureInfo.InvariantCulture),
        ValueKind.I64 => ((long)value).ToString(CultureInfo.InvariantCulture),
        ValueKind.F32 => BitConverter.UInt32BitsToSingle((uint)value).ToString("R", CultureInfo.InvariantCulture),
        ValueKind.F64 => BitConverter.UInt64BitsToDouble(value).ToString("R", CultureInfo.InvariantCulture),
        _ => value == 0 ? "null" : $"ref:{value}",
    };
}
