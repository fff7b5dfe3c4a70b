using System.Buffers.Binary;
using System.Text;
using Appliance.Modbus.Simulator;

namespace Appliance.Modbus.Tests.Support;

/// <summary>
/// An independent decoder of tag values from register bytes, written for the tests from the byte-order
/// rule (letters name the value's bytes, A most significant, in wire order), to check the simulator.
/// </summary>
internal static class WireDecoding
{
    /// <summary>The order's letters for a value of <paramref name="size"/> bytes, written out here rather than computed.</summary>
    public static string Letters(SimulatedByteOrder order, int size) => (order, size) switch
    {
        (SimulatedByteOrder.BigEndian, 2) => "AB",
        (SimulatedByteOrder.ByteSwapped, 2) => "BA",
        (SimulatedByteOrder.WordSwapped, 2) => "AB",
        (SimulatedByteOrder.LittleEndian, 2) => "BA",
        (SimulatedByteOrder.BigEndian, 4) => "ABCD",
        (SimulatedByteOrder.ByteSwapped, 4) => "BADC",
        (SimulatedByteOrder.WordSwapped, 4) => "CDAB",
        (SimulatedByteOrder.LittleEndian, 4) => "DCBA",
        (SimulatedByteOrder.BigEndian, 8) => "ABCDEFGH",
        (SimulatedByteOrder.ByteSwapped, 8) => "BADCFEHG",
        (SimulatedByteOrder.WordSwapped, 8) => "GHEFCDAB",
        (SimulatedByteOrder.LittleEndian, 8) => "HGFEDCBA",
        _ => throw new ArgumentOutOfRangeException(nameof(size), size, "values are 2, 4 or 8 bytes"),
    };

    public static double Decode(SimulatedTag tag, ReadOnlySpan<byte> wire)
    {
        if (tag.Type == SimulatedValueType.Bit)
        {
            return (BinaryPrimitives.ReadUInt16BigEndian(wire) >> tag.Bit) & 1;
        }

        string order = Letters(tag.Order, tag.RegisterCount * 2);
        Span<byte> bigEndian = stackalloc byte[8];
        for (int i = 0; i < order.Length; i++)
        {
            bigEndian[order[i] - 'A'] = wire[i];
        }

        return tag.Type switch
        {
            SimulatedValueType.Int16 => BinaryPrimitives.ReadInt16BigEndian(bigEndian),
            SimulatedValueType.UInt16 => BinaryPrimitives.ReadUInt16BigEndian(bigEndian),
            SimulatedValueType.Int32 => BinaryPrimitives.ReadInt32BigEndian(bigEndian),
            SimulatedValueType.UInt32 => BinaryPrimitives.ReadUInt32BigEndian(bigEndian),
            SimulatedValueType.Int64 => BinaryPrimitives.ReadInt64BigEndian(bigEndian),
            SimulatedValueType.UInt64 => BinaryPrimitives.ReadUInt64BigEndian(bigEndian),
            SimulatedValueType.Float32 => BinaryPrimitives.ReadSingleBigEndian(bigEndian),
            SimulatedValueType.Float64 => BinaryPrimitives.ReadDoubleBigEndian(bigEndian),
            _ => throw new ArgumentException("strings decode with DecodeText", nameof(tag)),
        };
    }

    public static string DecodeText(SimulatedTag tag, ReadOnlySpan<byte> wire)
    {
        var text = new StringBuilder();
        for (int i = 0; i < tag.RegisterCount * 2; i += 2)
        {
            (byte high, byte low) = Letters(tag.Order, 2) == "BA" ? (wire[i + 1], wire[i]) : (wire[i], wire[i + 1]);
            text.Append((char)high).Append((char)low);
        }

        return text.ToString();
    }

    /// <summary>The valid reply ADU to a read, built from register bytes.</summary>
    public static byte[] Reply(ushort transactionId, byte unitId, byte function, ReadOnlySpan<byte> registers)
    {
        byte[] frame = new byte[9 + registers.Length];
        new MbapHeader(transactionId, 0, (ushort)(3 + registers.Length), unitId).Write(frame);
        frame[7] = function;
        frame[8] = (byte)registers.Length;
        registers.CopyTo(frame.AsSpan(9));
        return frame;
    }
}
