using System.Buffers.Binary;
using System.Globalization;
using Appliance.Config;

namespace Appliance.Modbus.Simulator;

/// <summary>
/// One value of the simulated PLC: a configured tag (address, type, byte order) whose registers follow
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

    public SimulatedTag(TagConfig tag, RegisterArea area, Waveform waveform)
    {
        ArgumentNullException.ThrowIfNull(tag);
        ArgumentNullException.ThrowIfNull(waveform);
        int count = tag.RegisterCount;
        if (count is < 1 or > ReadRequest.MaxQuantity || tag.Address < 0 || tag.Address + count > ReadRequest.AddressSpace)
        {
            throw new ArgumentOutOfRangeException(nameof(tag), $"tag \"{tag.Name}\" needs registers {tag.Address}..{tag.Address + count - 1}, outside 0..65535");
        }

        if (tag.Type == TagType.Bit && tag.Bit is < 0 or > 15)
        {
            throw new ArgumentOutOfRangeException(nameof(tag), $"tag \"{tag.Name}\": bit {tag.Bit} is not 0..15");
        }

        int size = ValueSize(tag.Type);
        string order = string.IsNullOrEmpty(tag.Order) ? WireOrder.Default(size) : tag.Order;
        if (tag.Type != TagType.Bit && !WireOrder.IsValid(order, size))
        {
            throw new ArgumentException($"tag \"{tag.Name}\": order \"{tag.Order}\" is not a byte order of a {size}-byte {tag.Type}", nameof(tag));
        }

        Tag = tag;
        Area = area;
        Waveform = waveform;
        Order = order;
    }

    /// <summary>The tag as configured.</summary>
    public TagConfig Tag { get; }

    /// <summary>Holding (0x03) or input (0x04) registers.</summary>
    public RegisterArea Area { get; }

    /// <summary>The signal behind the registers.</summary>
    public Waveform Waveform { get; }

    /// <summary>The byte order in use (the type's default when the tag names none).</summary>
    public string Order { get; }

    public string Name => Tag.Name;

    /// <summary>Protocol address of the first register.</summary>
    public int Address => Tag.Address;

    public int RegisterCount => Tag.RegisterCount;

    /// <summary>
    /// The raw value the registers hold at <paramref name="step"/>, exact for the type: an integer, a
    /// float32 widened to double, a float64, 0 or 1 for a bit, and the counter for a string.
    /// </summary>
    public double ValueAt(long step)
    {
        double value = Waveform.ValueAt(step);
        return Tag.Type switch
        {
            TagType.Bit => value >= 0.5 ? 1 : 0,
            TagType.Int16 => Math.Clamp(Math.Round(value), short.MinValue, short.MaxValue),
            TagType.UInt16 => Math.Clamp(Math.Round(value), ushort.MinValue, ushort.MaxValue),
            TagType.Int32 => Math.Clamp(Math.Round(value), int.MinValue, int.MaxValue),
            TagType.UInt32 => Math.Clamp(Math.Round(value), uint.MinValue, uint.MaxValue),
            TagType.Int64 => Math.Clamp(Math.Round(value), -MaxExactInteger, MaxExactInteger),
            TagType.UInt64 => Math.Clamp(Math.Round(value), 0, MaxExactInteger),
            TagType.Float32 => (float)value,
            TagType.Float64 => value,
            _ => Math.Floor(Math.Max(0, value)),
        };
    }

    /// <summary>What a gateway publishes at <paramref name="step"/>: raw × scale + offset for numbers; bits and strings as they are.</summary>
    public double ScaledValueAt(long step)
    {
        double raw = ValueAt(step);
        return Tag.Type is TagType.Bit or TagType.String ? raw : (raw * Tag.Scale) + Tag.Offset;
    }

    /// <summary>The text of a string tag at <paramref name="step"/> (exactly two characters per register); other types: the raw value.</summary>
    public string TextAt(long step)
    {
        double raw = ValueAt(step);
        if (Tag.Type != TagType.String)
        {
            return Tag.Type == TagType.Float32
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
        switch (Tag.Type)
        {
            case TagType.Bit:
                BinaryPrimitives.WriteUInt16BigEndian(destination, raw != 0 ? (ushort)(1 << Tag.Bit) : (ushort)0);
                return;
            case TagType.String:
                string text = TextAt(step);
                for (int i = 0; i < bytes; i += 2)
                {
                    bigEndian[0] = (byte)text[i];
                    bigEndian[1] = (byte)text[i + 1];
                    WireOrder.Arrange(bigEndian[..2], Order, destination[i..]);
                }

                return;
            case TagType.Int16:
                BinaryPrimitives.WriteInt16BigEndian(bigEndian, (short)raw);
                break;
            case TagType.UInt16:
                BinaryPrimitives.WriteUInt16BigEndian(bigEndian, (ushort)raw);
                break;
            case TagType.Int32:
                BinaryPrimitives.WriteInt32BigEndian(bigEndian, (int)raw);
                break;
            case TagType.UInt32:
                BinaryPrimitives.WriteUInt32BigEndian(bigEndian, (uint)raw);
                break;
            case TagType.Int64:
                BinaryPrimitives.WriteInt64BigEndian(bigEndian, (long)raw);
                break;
            case TagType.UInt64:
                BinaryPrimitives.WriteUInt64BigEndian(bigEndian, (ulong)raw);
                break;
            case TagType.Float32:
                BinaryPrimitives.WriteSingleBigEndian(bigEndian, (float)raw);
                break;
            default:
                BinaryPrimitives.WriteDoubleBigEndian(bigEndian, raw);
                break;
        }

        WireOrder.Arrange(bigEndian[..bytes], Order, destination);
    }

    public override string ToString() => $"{Area} {Address} {Name} {Tag.Type} {Order}";

    /// <summary>Bytes of one value of the type (a string's unit is one register).</summary>
    private static int ValueSize(TagType type) => type switch
    {
        TagType.Int32 or TagType.UInt32 or TagType.Float32 => 4,
        TagType.Int64 or TagType.UInt64 or TagType.Float64 => 8,
        _ => 2,
    };
}
