using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace Appliance.Mqtt.Guard;

/// <summary>
/// Reads the data types of MQTT 5.0 §1.5 (3.1.1 §1.5) from the body of one packet whose bytes are all present.
/// Running out of bytes here means a length inside the packet disagrees with its Remaining Length, so every
/// shortfall is a malformed packet.
/// </summary>
internal ref struct InboundBody
{
    private readonly ReadOnlySpan<byte> _bytes;
    private int _position;

    public InboundBody(ReadOnlySpan<byte> bytes, PacketType type)
    {
        _bytes = bytes;
        Type = type;
    }

    public PacketType Type { get; }

    public readonly bool End => _position == _bytes.Length;

    public readonly int Remaining => _bytes.Length - _position;

    public byte ReadByte(string field) => Take(1, field)[0];

    // MQTT 5.0 §1.5.2 Two Byte Integer, big-endian.
    public ushort ReadUInt16(string field) => BinaryPrimitives.ReadUInt16BigEndian(Take(2, field));

    // MQTT 5.0 §1.5.3 Four Byte Integer, big-endian.
    public uint ReadUInt32(string field) => BinaryPrimitives.ReadUInt32BigEndian(Take(4, field));

    /// <summary>A packet identifier: non-zero (MQTT 5.0 §2.2.1, 3.1.1 §2.3.1).</summary>
    public ushort ReadPacketId()
    {
        ushort id = ReadUInt16("packet identifier");
        if (id == 0)
        {
            MqttProtocolException.ThrowMalformed($"{InboundPacket.Name(Type)}: packet identifier 0 is not allowed");
        }

        return id;
    }

    // MQTT 5.0 §1.5.5 Variable Byte Integer: 7 bits per byte, least significant first; at most 4 bytes, minimally encoded.
    public int ReadVariableByteInteger(string field)
    {
        int value = 0;
        for (int i = 0; i < 4; i++)
        {
            byte b = ReadByte(field);
            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                if (i > 0 && b == 0)
                {
                    MqttProtocolException.ThrowMalformed($"{InboundPacket.Name(Type)}: {field} is not minimally encoded (MQTT 5.0 §1.5.5)");
                }

                return value;
            }
        }

        MqttProtocolException.ThrowMalformed($"{InboundPacket.Name(Type)}: {field} has more than 4 bytes (MQTT 5.0 §1.5.5)");
        return 0;
    }

    // MQTT 5.0 §1.5.4 UTF-8 Encoded String: a Two Byte Integer length, then well-formed UTF-8 (RFC 3629, no
    // surrogates) without U+0000.
    public string ReadString(string field)
    {
        ReadOnlySpan<byte> bytes = Take(ReadUInt16($"{field} length"), field);
        if (!Utf8.IsValid(bytes))
        {
            MqttProtocolException.ThrowMalformed($"{InboundPacket.Name(Type)}: {field} is not well-formed UTF-8 (MQTT 5.0 §1.5.4)");
        }

        if (bytes.Contains((byte)0))
        {
            MqttProtocolException.ThrowMalformed($"{InboundPacket.Name(Type)}: {field} contains U+0000 (MQTT 5.0 §1.5.4)");
        }

        return Encoding.UTF8.GetString(bytes);
    }

    // MQTT 5.0 §1.5.6 Binary Data: a Two Byte Integer length, then that many bytes.
    public void SkipBinary(string field) => Take(ReadUInt16($"{field} length"), field);

    /// <summary>The next <paramref name="length"/> bytes as a body of their own (a property list).</summary>
    public InboundBody ReadSection(int length, string field) => new(Take(length, field), Type);

    public readonly void ExpectEnd()
    {
        if (!End)
        {
            MqttProtocolException.ThrowMalformed($"{InboundPacket.Name(Type)}: {Remaining} unexpected bytes after the last field");
        }
    }

    private ReadOnlySpan<byte> Take(int count, string field)
    {
        if (count > Remaining)
        {
            MqttProtocolException.ThrowMalformed($"{InboundPacket.Name(Type)}: the packet ends inside {field} ({count} bytes needed, {Remaining} left)");
        }

        ReadOnlySpan<byte> taken = _bytes.Slice(_position, count);
        _position += count;
        return taken;
    }
}
