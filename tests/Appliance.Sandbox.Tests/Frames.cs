using System.Buffers.Binary;
using Appliance.Sandbox.Parsing;

namespace Appliance.Sandbox.Tests;

/// <summary>Response ADUs for tests, built byte by byte from the Modbus specification (MBAP + PDU).</summary>
internal static class Frames
{
    /// <summary>A valid FC 3/4 response to <paramref name="request"/> carrying <paramref name="registers"/>.</summary>
    public static byte[] Response(ParserRequest request, params ushort[] registers)
    {
        byte[] adu = new byte[9 + (registers.Length * 2)];
        BinaryPrimitives.WriteUInt16BigEndian(adu, request.Transaction);
        BinaryPrimitives.WriteUInt16BigEndian(adu.AsSpan(4), (ushort)(3 + (registers.Length * 2)));
        adu[6] = request.Unit;
        adu[7] = request.Function;
        adu[8] = (byte)(registers.Length * 2);
        for (int i = 0; i < registers.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(adu.AsSpan(9 + (i * 2)), registers[i]);
        }

        return adu;
    }

    /// <summary>An exception response (function | 0x80, one code byte).</summary>
    public static byte[] Exception(ParserRequest request, byte code)
    {
        byte[] adu = new byte[9];
        BinaryPrimitives.WriteUInt16BigEndian(adu, request.Transaction);
        BinaryPrimitives.WriteUInt16BigEndian(adu.AsSpan(4), 3);
        adu[6] = request.Unit;
        adu[7] = (byte)(request.Function | 0x80);
        adu[8] = code;
        return adu;
    }

    /// <summary>A copy with one byte changed.</summary>
    public static byte[] With(byte[] adu, int offset, byte value)
    {
        byte[] copy = (byte[])adu.Clone();
        copy[offset] = value;
        return copy;
    }

    /// <summary>Registers holding the big-endian bytes of a value, in wire order.</summary>
    public static ushort[] Words(ReadOnlySpan<byte> bigEndian)
    {
        ushort[] words = new ushort[bigEndian.Length / 2];
        for (int i = 0; i < words.Length; i++)
        {
            words[i] = BinaryPrimitives.ReadUInt16BigEndian(bigEndian[(i * 2)..]);
        }

        return words;
    }
}
