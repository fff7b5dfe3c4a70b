using System.Buffers.Binary;
using System.Globalization;

namespace Appliance.Modbus.Simulator;

/// <summary>
/// One value of the simulated PLC: a tag (area, address, type, byte order) whose registers follow
/// a <see cref="Modbus.Simulator.Waveform"/>. Everything here is a pure function of the step k.
/// </summary>
/// <remarks>
/// The waveform gives the raw value the registers hold, which is then made exact for the type: integers
/// are rounded and clamped (64-bit integers to ±2^53, so a double holds them exactly), float32 is
/// rounded to single precision, a bit is on from 0.5. Strings hold a counter: the tag name's initial and
/// the waveform's whole part in zero-padded digits, two ASCII characters per register.
/// </remarks>
public sealed class SimulatedTag
{
    private const double MaxExactInteger = 9_007_199_254_740_992; // 2^53

    /// <param name="name">The tag's name, for lookups and listings.</param>
    /// <param name="area">Holding registers (read with 0x03) or input registers (0x04).</param>
    /// <param name="address">Protocol address of the first register.</param>
    /// <param name="type">How the registers hold the value.</param>
    /// <param name="waveform">The signal behind the registers.</param>
    /// <param name="order">The byte order of the value on the wire (not used by a bit).</param>
    /// <param name="bit">For <see cref="SimulatedValueType.Bit"/>: the bit of the register, 0 (least significant) to 15.</param>
    /// <param name="length">For <see cref="SimulatedValueType.String"/>: the number of registers (two characters each).</param>
    /// <param name="scale">What a gateway multiplies the raw value by (numeric types).</param>
    /// <param name="offset">What a gateway adds after scaling (numeric types).</param>
    public SimulatedTag(
        string name,
        ReadFunction area,
        int address,
        SimulatedValueType type,
        Waveform waveform,
        SimulatedByteOrder order = SimulatedByteOrder.BigEndian,
        int bit = 0,
        int length = 1,
        double scale = 1.0,
        double offset = 0.0)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(waveform);
        if (area is not (ReadFunction.ReadHoldingRegisters or ReadFunction.ReadInputRegisters))
        {
            throw new ArgumentOutOfRangeException(nameof(area), area, $"tag \"{name}\": the simulator serves holding (0x03) and input (0x04) registers only");
        }

        if (!Enum.IsDefined(type))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, $"tag \"{name}\": not a value type");
        }

        if (!Enum.IsDefined(order))
        {
            throw new ArgumentOutOfRangeException(nameof(order), order, $"tag \"{name}\": not a byte order");
        }

        int count = type switch
        {
            SimulatedValueType.Bit or SimulatedValueType.Int16 or SimulatedValueType.UInt16 => 1,
            SimulatedValueType.Int32 or SimulatedValueType.UInt32 or SimulatedValueType.Float32 => 2,
            SimulatedValueType.Int64 or SimulatedValueType.UInt64 or SimulatedValueType.Float64 => 4,
            _ => length,
        };
        if (count is < 1 or > ReadRequest.MaxQuantity || address < 0 || address + count > ReadRequest.AddressSpace)
        {
            throw new ArgumentOutOfRangeException(nameof(address), $"tag \"{name}\" needs registers {address}..{address + count - 1}, outside 0..65535");
        }

        if (type == SimulatedValueType.Bit && bit is < 0 or > 15)
        {
            throw new ArgumentOutOfRangeException(nameof(bit), $"tag \"{name}\": bit {bit} is not 0..15");
        }

        Name = name;
        Area = area;
        Address = address;
        Type = type;
        Waveform = waveform;
        Order = order;
        Bit = type == SimulatedValueType.Bit ? bit : 0;
        RegisterCount = count;
        Scale = scale;
        Offset = offset;
    }

    public string Name { get; }

    /// <summary>Holding (0x03) or input (0x04) registers.</summary>
    public ReadFunction Area { get; }

    /// <summary>Protocol address of the first register.</summary>
    public int Address { get; }

    public SimulatedValueType Type { get; }

    /// <summary>The signal behind the registers.</summary>
    public Waveform Waveform { get; }

    /// <summary>The byte order of the value on the wire.</summary>
    public SimulatedByteOrder Order { get; }

    /// <summary>The byte order as letters, A the value's most significant byte, in wire order: "ABCD", "CDAB", "BA", …; for a bit, empty.</summary>
    public string OrderName => Type == SimulatedValueType.Bit ? string.Empty : WireOrder.Name(Order, ValueSize(Type));

    /// <summary>For a bit: the bit of the register, 0 (least significant) to 15.</summary>
    public int Bit { get; }

    /// <summary>How many consecutive registers the tag occupies.</summary>
    public int RegisterCount { get; }

    public double Scale { get; }

    public double Offset { get; }

    /// <summary>
    /// The raw value the registers hold at <paramref name="step"/>, exact for the type: an integer, a
    /// float32 widened to double, a float64, 0 or 1 for a bit, and the counter for a string.
    /// </summary>
    public double ValueAt(long step)
    {
        double value = Waveform.ValueAt(step);
        return Type switch
        {
            SimulatedValueType.Bit => value >= 0.5 ? 1 : 0,
            SimulatedValueType.Int16 => Math.Clamp(Math.Round(value), short.MinValue, short.MaxValue),
            SimulatedValueType.UInt16 => Math.Clamp(Math.Round(value), ushort.MinValue, ushort.MaxValue),
            SimulatedValueType.Int32 => Math.Clamp(Math.Round(value), int.MinValue, int.MaxValue),
            SimulatedValueType.UInt32 => Math.Clamp(Math.Round(value), uint.MinValue, uint.MaxValue),
            SimulatedValueType.Int64 => Math.Clamp(Math.Round(value), -MaxExactInteger, MaxExactInteger),
            SimulatedValueType.UInt64 => Math.Clamp(Math.Round(value), 0, MaxExactInteger),
            SimulatedValueType.Float32 => (float)value,
            SimulatedValueType.Float64 => value,
            _ => Math.Floor(Math.Max(0, value)),
        };
    }

    /// <summary>What a gateway publishes at <paramref name="step"/>: raw × scale + offset for numbers; bits and strings as they are.</summary>
    public double ScaledValueAt(long step)
    {
        double raw = ValueAt(step);
        return Type is SimulatedValueType.Bit or SimulatedValueType.String ? raw : (raw * Scale) + Offset;
    }

    /// <summary>The text of a string tag at <paramref name="step"/> (exactly two characters per register); other types: the raw value.</summary>
    public string TextAt(long step)
    {
        double raw = ValueAt(step);
        if (Type != SimulatedValueType.String)
        {
            return Type == SimulatedValueType.Float32
                ? ((float)raw).ToString("R", CultureInfo.InvariantCulture)
                : raw.ToString("R", CultureInfo.InvariantCulture);
        }

        int width = RegisterCount * 2;
        char initial = Name.Length > 0 && char.IsAsciiLetter(Name[0]) ? char.ToUpperInvariant(Name[0]) : 'T';
        int digits = Math.Min(width - 1, 18);
        long counter = (long)raw % (long)Math.Pow(10, digits);
        string text = initial + counter.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0');
        return text.PadRight(width, ' ');
    }

    /// <summary>
    /// Writes the tag's registers at <paramref name="step"/> as they appear on the wire (two bytes per
    /// register, high byte first), in the tag's byte order. A bit tag writes its register with only its
    /// own bit set (or none); the register map ORs the bits of one register together.
    /// </summary>
    public void WriteRegisters(long step, Span<byte> destination)
    {
        int bytes = RegisterCount * 2;
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, bytes, nameof(destination));
        double raw = ValueAt(step);
        Span<byte> bigEndian = stackalloc byte[8];
        switch (Type)
        {
            case SimulatedValueType.Bit:
                BinaryPrimitives.WriteUInt16BigEndian(destination, raw != 0 ? (ushort)(1 << Bit) : (ushort)0);
                return;
            case SimulatedValueType.String:
                string text = TextAt(step);
                for (int i = 0; i < bytes; i += 2)
                {
                    bigEndian[0] = (byte)text[i];
                    bigEndian[1] = (byte)text[i + 1];
                    WireOrder.Arrange(bigEndian[..2], Order, destination[i..]);
                }

                return;
            case SimulatedValueType.Int16:
                BinaryPrimitives.WriteInt16BigEndian(bigEndian, (short)raw);
                break;
            case SimulatedValueType.UInt16:
                BinaryPrimitives.WriteUInt16BigEndian(bigEndian, (ushort)raw);
                break;
            case SimulatedValueType.Int32:
                BinaryPrimitives.WriteInt32BigEndian(bigEndian, (int)raw);
                break;
            case SimulatedValueType.UInt32:
                BinaryPrimitives.WriteUInt32BigEndian(bigEndian, (uint)raw);
                break;
            case SimulatedValueType.Int64:
                BinaryPrimitives.WriteInt64BigEndian(bigEndian, (long)raw);
                break;
            case SimulatedValueType.UInt64:
                BinaryPrimitives.WriteUInt64BigEndian(bigEndian, (ulong)raw);
                break;
            case SimulatedValueType.Float32:
                BinaryPrimitives.WriteSingleBigEndian(bigEndian, (float)raw);
                break;
            default:
                BinaryPrimitives.WriteDoubleBigEndian(bigEndian, raw);
                break;
        }

        WireOrder.Arrange(bigEndian[..bytes], Order, destination);
    }

    public override string ToString() => $"{(Area == ReadFunction.ReadInputRegisters ? "input" : "holding")} {Address} {Name} {Type} {(Type == SimulatedValueType.Bit ? $"bit{Bit}" : OrderName)}";

    /// <summary>Bytes of one value of the type (a string's unit is one register).</summary>
    private static int ValueSize(SimulatedValueType type) => type switch
    {
        SimulatedValueType.Int32 or SimulatedValueType.UInt32 or SimulatedValueType.Float32 => 4,
        SimulatedValueType.Int64 or SimulatedValueType.UInt64 or SimulatedValueType.Float64 => 8,
        _ => 2,
    };
}
