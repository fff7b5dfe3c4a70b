using System.Buffers.Binary;
using System.Text;

namespace Appliance.Mqtt.Packets;

/// <summary>
/// Writes the data types of MQTT 5.0 §1.5 into a span that the caller sized with the matching
/// <c>Measure</c> methods, so a packet is encoded in one pass with no intermediate buffer.
/// </summary>
internal ref struct PacketWriter
{
    /// <summary>UTF-8 that throws on lone surrogates instead of writing U+FFFD (MQTT 5.0 §1.5.4).</summary>
    internal static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Span<byte> _span;

    public PacketWriter(Span<byte> span)
    {
        _span = span;
        Position = 0;
    }

    public int Position { get; private set; }

    public void WriteByte(byte value) => _span[Position++] = value;

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_span[Position..], value);
        Position += 2;
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_span[Position..], value);
        Position += 4;
    }

    // MQTT 5.0 §1.5.5: the minimal encoding, 1 to 4 bytes.
    public void WriteVariableByteInteger(int value)
    {
        uint remaining = (uint)value;
        do
        {
            byte b = (byte)(remaining & 0x7F);
            remaining >>= 7;
            if (remaining > 0)
            {
                b |= 0x80;
            }

            _span[Position++] = b;
        }
        while (remaining > 0);
    }

    public void WriteString(string value)
    {
        int length = StrictUtf8.GetBytes(value, _span[(Position + 2)..]);
        BinaryPrimitives.WriteUInt16BigEndian(_span[Position..], (ushort)length);
        Position += 2 + length;
    }

    public void WriteBinary(ReadOnlySpan<byte> value)
    {
        WriteUInt16((ushort)value.Length);
        WriteBytes(value);
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        value.CopyTo(_span[Position..]);
        Position += value.Length;
    }

    /// <summary>Bytes of a Variable Byte Integer (MQTT 5.0 §1.5.5, Table 1-1).</summary>
    public static int MeasureVariableByteInteger(int value) => value switch
    {
        < 128 => 1,
        < 16_384 => 2,
        < 2_097_152 => 3,
        _ => 4,
    };

    /// <summary>Bytes of a UTF-8 Encoded String, length prefix included; throws for text MQTT cannot carry.</summary>
    public static int MeasureString(string value, string field)
    {
        int length;
        try
        {
            length = StrictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException)
        {
            throw new ArgumentException($"{field} contains a lone UTF-16 surrogate, which UTF-8 cannot encode (MQTT 5.0 §1.5.4)", field);
        }

        if (length > ushort.MaxValue)
        {
            throw new ArgumentException($"{field} is {length} bytes of UTF-8; MQTT strings are at most 65535 bytes", field);
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"{field} contains U+0000, which MQTT forbids (MQTT 5.0 §1.5.4)", field);
        }

        return 2 + length;
    }

    /// <summary>Bytes of Binary Data, length prefix included.</summary>
    public static int MeasureBinary(int length, string field) => length <= ushort.MaxValue
        ? 2 + length
        : throw new ArgumentException($"{field} is {length} bytes; MQTT binary data is at most 65535 bytes", field);
}
