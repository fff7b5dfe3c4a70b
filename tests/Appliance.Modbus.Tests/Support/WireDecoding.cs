using System.Buffers.Binary;
using System.Text;
using Appliance.Config;

namespace Appliance.Modbus.Tests.Support;

/// <summary>
/// An independent decoder of tag values from register bytes, written for the tests from the byte-order
/// rule (letters name the value's bytes, A most significant, in wire order), to check the simulator.
/// </summary>
internal static class WireDecoding
{
    public static double Decode(TagConfig tag, ReadOnlySpan<byte> wire)
    {
        if (tag.Type == TagType.Bit)
        {
            return (BinaryPrimitives.ReadUInt16BigEndian(wire) >> tag.Bit) & 1;
        }

        string order = tag.Order.Length > 0 ? tag.Order : "ABCDEFGH"[..(tag.RegisterCount * 2)];
        Span<byte> bigEndian = stackalloc byte[8];
        for (int i = 0; i < order.Length; i++)
        {
            bigEndian[order[i] - 'A'] = wire[i];
        }

        return tag.Type switch
        {
            TagType.Int16 => BinaryPrimitives.ReadInt16BigEndian(bigEndian),
            TagType.UInt16 => BinaryPrimitives.ReadUInt16BigEndian(bigEndian),
            TagType.Int32 => BinaryPrimitives.ReadInt32BigEndian(bigEndian),
            TagType.UInt32 => BinaryPrimitives.ReadUInt32BigEndian(bigEndian),
            TagType.Int64 => BinaryPrimitives.ReadInt64BigEndian(bigEndian),
            TagType.UInt64 => BinaryPrimitives.ReadUInt64BigEndian(bigEndian),
            TagType.Float32 => BinaryPrimitives.ReadSingleBigEndian(bigEndian),
            TagType.Float64 => BinaryPrimitives.ReadDoubleBigEndian(bigEndian),
            _ => throw new ArgumentException("strings decode with DecodeText", nameof(tag)),
        };
    }

    public static string DecodeText(TagConfig tag, ReadOnlySpan<byte> wire)
    {
        var text = new StringBuilder();
        for (int i = 0; i < tag.RegisterCount * 2; i += 2)
        {
            (byte high, byte low) = tag.Order == "BA" ? (wire[i + 1], wire[i]) : (wire[i], wire[i + 1]);
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
