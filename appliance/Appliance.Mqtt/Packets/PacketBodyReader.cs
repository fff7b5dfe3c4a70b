using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Appliance.Mqtt.Packets;

/// <summary>
/// Reads the data types of MQTT 5.0 §1.5 (3.1.1 §1.5) from the body of one packet whose bytes are all
/// present. Running out of bytes here means a length inside the packet disagrees with its Remaining
/// Length, so every shortfall is a malformed packet, never "need more input".
/// </summary>
internal ref struct PacketBodyReader
{
    private const int MaxStackCopy = 256;

    private SequenceReader<byte> _reader;

    public PacketBodyReader(ReadOnlySequence<byte> body, MqttPacketType type)
    {
        _reader = new SequenceReader<byte>(body);
        Type = type;
    }

    public MqttPacketType Type { get; }

    public readonly long Remaining => _reader.Remaining;

    public readonly bool End => _reader.End;

    public byte ReadByte(string field)
    {
        if (!_reader.TryRead(out byte value))
        {
            Short(field, 1);
        }

        return value;
    }

    // MQTT 5.0 §1.5.2 Two Byte Integer: big-endian.
    public ushort ReadUInt16(string field)
    {
        if (!_reader.TryReadBigEndian(out short value))
        {
            Short(field, 2);
        }

        return (ushort)value;
    }

    // MQTT 5.0 §1.5.3 Four Byte Integer: big-endian.
    public uint ReadUInt32(string field)
    {
        if (!_reader.TryReadBigEndian(out int value))
        {
            Short(field, 4);
        }

        return (uint)value;
    }

    /// <summary>A packet identifier: non-zero (MQTT 5.0 §2.2.1, 3.1.1 §2.3.1).</summary>
    public ushort ReadPacketId()
    {
        ushort id = ReadUInt16("packet identifier");
        if (id == 0)
        {
            MqttProtocolException.ThrowMalformed($"{Describe(Type)}: packet identifier 0 is not allowed");
        }

        return id;
    }

    // MQTT 5.0 §1.5.5 Variable Byte Integer: 7 bits per byte, least significant first, high bit = more.
    // At most 4 bytes; the encoded value must use the minimum number of bytes.
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
                    MqttProtocolException.ThrowMalformed($"{Describe(Type)}: {field} is not minimally encoded (MQTT 5.0 §1.5.5)");
                }

                return value;
            }
        }

        MqttProtocolException.ThrowMalformed($"{Describe(Type)}: {field} has more than 4 bytes (MQTT 5.0 §1.5.5)");
        return 0;
    }

    // MQTT 5.0 §1.5.4 UTF-8 Encoded String:
    //   +--------+--------+---------------------+
    //   | len MSB| len LSB| len bytes of UTF-8  |
    //   +--------+--------+---------------------+
    // Well-formed UTF-8 (RFC 3629), no surrogates (U+D800..U+DFFF), no U+0000.
    public string ReadString(string field)
    {
        int length = ReadUInt16($"{field} length");
        if (length > _reader.Remaining)
        {
            MqttProtocolException.ThrowMalformed($"{Describe(Type)}: {field} claims {length} bytes but only {_reader.Remaining} are left in the packet");
        }

        ReadOnlySpan<byte> unread = _reader.UnreadSpan;
        string text;
        if (unread.Length >= length)
        {
            text = DecodeUtf8(unread[..length], Type, field);
        }
        else
        {
            byte[]? rented = length > MaxStackCopy ? ArrayPool<byte>.Shared.Rent(length) : null;
            Span<byte> copy = rented is null ? stackalloc byte[MaxStackCopy] : rented;
            copy = copy[..length];
            _reader.TryCopyTo(copy);
            try
            {
                text = DecodeUtf8(copy, Type, field);
            }
            finally
            {
                if (rented is not null)
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }
            }
        }

        _reader.Advance(length);
        return text;
    }

    // MQTT 5.0 §1.5.6 Binary Data: a Two Byte Integer length, then that many bytes.
    public byte[] ReadBinary(string field)
    {
        int length = ReadUInt16($"{field} length");
        if (length > _reader.Remaining)
        {
            MqttProtocolException.ThrowMalformed($"{Describe(Type)}: {field} claims {length} bytes but only {_reader.Remaining} are left in the packet");
        }

        return ReadBytes(length);
    }

    /// <summary>Everything left in the packet (a PUBLISH payload), copied out of the receive buffer.</summary>
    public byte[] ReadRest() => ReadBytes((int)_reader.Remaining);

    /// <summary>The next <paramref name="length"/> bytes as a reader of their own (a property list).</summary>
    public PacketBodyReader ReadSection(int length, string field)
    {
        if (length > _reader.Remaining)
        {
            MqttProtocolException.ThrowMalformed($"{Describe(Type)}: {field} claims {length} bytes but only {_reader.Remaining} are left in the packet");
        }

        ReadOnlySequence<byte> section = _reader.UnreadSequence.Slice(0, length);
        _reader.Advance(length);
        return new PacketBodyReader(section, Type);
    }

    public readonly void ExpectEnd()
    {
        if (!_reader.End)
        {
            MqttProtocolException.ThrowMalformed($"{Describe(Type)}: {_reader.Remaining} unexpected bytes after the last field");
        }
    }

    internal static string Describe(MqttPacketType type) => type switch
    {
        MqttPacketType.ConnAck => "CONNACK",
        MqttPacketType.PubAck => "PUBACK",
        MqttPacketType.PubRec => "PUBREC",
        MqttPacketType.PubRel => "PUBREL",
        MqttPacketType.PubComp => "PUBCOMP",
        MqttPacketType.SubAck => "SUBACK",
        MqttPacketType.UnsubAck => "UNSUBACK",
        MqttPacketType.PingReq => "PINGREQ",
        MqttPacketType.PingResp => "PINGRESP",
        _ => type.ToString().ToUpperInvariant(),
    };

    private static string DecodeUtf8(ReadOnlySpan<byte> bytes, MqttPacketType type, string field)
    {
        if (!Utf8.IsValid(bytes))
        {
            MqttProtocolException.ThrowMalformed($"{Describe(type)}: {field} is not well-formed UTF-8 (MQTT 5.0 §1.5.4)");
        }

        if (bytes.Contains((byte)0))
        {
            MqttProtocolException.ThrowMalformed($"{Describe(type)}: {field} contains U+0000 (MQTT 5.0 §1.5.4)");
        }

        return Encoding.UTF8.GetString(bytes);
    }

    private byte[] ReadBytes(int length)
    {
        byte[] bytes = length == 0 ? [] : new byte[length];
        _reader.TryCopyTo(bytes);
        _reader.Advance(length);
        return bytes;
    }

    private readonly void Short(string field, int needed) =>
        MqttProtocolException.ThrowMalformed($"{Describe(Type)}: the packet ends inside {field} ({needed} bytes needed, {_reader.Remaining} left)");
}
