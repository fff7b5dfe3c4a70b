namespace Appliance.Modbus.Tests.Support;

/// <summary>Reply ADUs written out byte by byte, the way a test row states them.</summary>
internal static class Frames
{
    /// <summary>A normal reply to a register read: MBAP, function code, byte count, the registers big-endian.</summary>
    public static byte[] Registers(ushort transactionId, byte unitId, byte function, params ushort[] registers)
    {
        int byteCount = registers.Length * 2;
        var frame = new List<byte>
        {
            (byte)(transactionId >> 8), (byte)transactionId, 0, 0, (byte)((3 + byteCount) >> 8), (byte)(3 + byteCount), unitId, function, (byte)byteCount,
        };
        foreach (ushort register in registers)
        {
            frame.Add((byte)(register >> 8));
            frame.Add((byte)register);
        }

        return [.. frame];
    }

    /// <summary>The transaction id of a request or reply ADU.</summary>
    public static ushort TransactionId(ReadOnlySpan<byte> adu) => (ushort)((adu[0] << 8) | adu[1]);
}
