using System.Buffers.Binary;
using System.Text;

namespace Appliance.Mqtt.Tests.Wire;

/// <summary>
/// The scripted broker's own small codec: writes the packets a broker sends (valid ones; hostile bytes are written
/// as hex), and reads the ones a client sends, loosely (it is a test peer, not a guard).
/// </summary>
internal static class Codec
{
    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

    /// <summary>Fixed header (type, flags, Remaining Length) and body of <paramref name="packet"/>.</summary>
    public static byte[] Encode(MqttPacket packet, MqttProtocolVersion version)
    {
        bool v5 = version == MqttProtocolVersion.V500;
        var body = new List<byte>();
        byte flags = 0;
        switch (packet)
        {
            case ConnAckPacket connAck:
                body.Add(connAck.SessionPresent ? (byte)1 : (byte)0);
                body.Add(connAck.ReasonCode);
                if (v5)
                {
                    Properties(body, connAck.Properties);
                }

                break;
            case PublishPacket publish:
                flags = (byte)((publish.Dup ? 0x08 : 0) | (publish.Qos << 1) | (publish.Retain ? 1 : 0));
                String(body, publish.Topic);
                if (publish.Qos > 0)
                {
                    UInt16(body, publish.PacketId);
                }

                if (v5)
                {
                    Properties(body, publish.Properties);
                }

                body.AddRange(publish.Payload.ToArray());
                break;
            case PublishAckPacket ack:
                flags = ack.Kind == MqttPacketType.PubRel ? (byte)0x02 : (byte)0;
                UInt16(body, ack.PacketId);
                if (v5 && (ack.ReasonCode != 0 || HasAny(ack.Properties)))
                {
                    body.Add(ack.ReasonCode);
                    if (HasAny(ack.Properties))
                    {
                        Properties(body, ack.Properties);
                    }
                }

                break;
            case SubAckPacket subAck:
                UInt16(body, subAck.PacketId);
                if (v5)
                {
                    Properties(body, new MqttProperties());
                }

                body.AddRange(subAck.ReasonCodes);
                break;
            case DisconnectPacket disconnect:
                if (v5 && (disconnect.ReasonCode != 0 || HasAny(disconnect.Properties)))
                {
                    body.Add(disconnect.ReasonCode);
                    if (HasAny(disconnect.Properties))
                    {
                        Properties(body, disconnect.Properties);
                    }
                }

                break;
            case PingRespPacket or PingReqPacket:
                break;
            default:
                throw new ArgumentException($"the scripted broker does not write {packet.Type}", nameof(packet));
        }

        var bytes = new List<byte> { (byte)(((int)packet.Type << 4) | flags) };
        VariableByteInteger(bytes, body.Count);
        bytes.AddRange(body);
        return [.. bytes];
    }

    /// <summary>Reads one packet a client sent from <paramref name="bytes"/>; null (and 0 consumed) while it is incomplete.</summary>
    public static MqttPacket? Read(ReadOnlySpan<byte> bytes, MqttProtocolVersion version, out int consumed)
    {
        consumed = 0;
        if (bytes.Length < 2)
        {
            return null;
        }

        int remaining = 0;
        int header = 1;
        for (int shift = 0; ; shift += 7)
        {
            if (header >= bytes.Length)
            {
                return null;
            }

            byte b = bytes[header++];
            remaining |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                break;
            }
        }

        if (bytes.Length < header + remaining)
        {
            return null;
        }

        consumed = header + remaining;
        var type = (MqttPacketType)(bytes[0] >> 4);
        byte flags = (byte)(bytes[0] & 0x0F);
        var body = new Body(bytes.Slice(header, remaining).ToArray());
        bool v5 = version == MqttProtocolVersion.V500;
        return type switch
        {
            MqttPacketType.Connect => ReadConnect(body),
            MqttPacketType.Publish => ReadPublish(body, flags, v5),
            MqttPacketType.PubAck => new PublishAckPacket { PacketId = body.UInt16(), ReasonCode = body.End ? (byte)0 : body.Byte() },
            MqttPacketType.Subscribe => ReadSubscribe(body, v5),
            MqttPacketType.PingReq => PingReqPacket.Instance,
            MqttPacketType.Disconnect => new DisconnectPacket { ReasonCode = body.End ? (byte)0 : body.Byte() },
            _ => throw new InvalidOperationException($"the client sent packet type {type}, which a client does not send"),
        };
    }

    private static ConnectPacket ReadConnect(Body body)
    {
        body.String();
        var version = (MqttProtocolVersion)body.Byte();
        bool v5 = version == MqttProtocolVersion.V500;
        byte flags = body.Byte();
        ushort keepAlive = body.UInt16();
        MqttProperties properties = v5 ? body.Properties() : new MqttProperties();
        string clientId = body.String();
        MqttWill? will = null;
        if ((flags & 0x04) != 0)
        {
            if (v5)
            {
                body.Properties();
            }

            will = new MqttWill { Topic = body.String(), Payload = body.Binary(), Qos = (byte)((flags >> 3) & 3), Retain = (flags & 0x20) != 0 };
        }

        string? user = (flags & 0x80) != 0 ? body.String() : null;
        byte[]? password = (flags & 0x40) != 0 ? body.Binary() : null;
        return new ConnectPacket
        {
            ProtocolVersion = version,
            ClientId = clientId,
            CleanStart = (flags & 0x02) != 0,
            KeepAliveSeconds = keepAlive,
            UserName = user,
            Password = password,
            Will = will,
            Properties = properties,
        };
    }

    private static PublishPacket ReadPublish(Body body, byte flags, bool v5)
    {
        byte qos = (byte)((flags >> 1) & 3);
        string topic = body.String();
        ushort id = qos > 0 ? body.UInt16() : (ushort)0;
        MqttProperties properties = v5 ? body.Properties() : new MqttProperties();
        return new PublishPacket
        {
            Dup = (flags & 0x08) != 0,
            Qos = qos,
            Retain = (flags & 1) != 0,
            Topic = topic,
            PacketId = id,
            Properties = properties,
            Payload = body.Rest(),
        };
    }

    private static SubscribePacket ReadSubscribe(Body body, bool v5)
    {
        ushort id = body.UInt16();
        if (v5)
        {
            body.Properties();
        }

        var subscriptions = new List<TopicSubscription>();
        while (!body.End)
        {
            subscriptions.Add(new TopicSubscription(body.String(), body.Byte()));
        }

        return new SubscribePacket { PacketId = id, Subscriptions = subscriptions };
    }

    private static bool HasAny(MqttProperties p) =>
        p.ServerKeepAlive is not null || p.ReasonString is not null || p.ReceiveMaximum is not null || p.TopicAlias is not null
        || p.MaximumPacketSize is not null || p.UserProperties.Count > 0;

    // Properties in identifier order (MQTT 5.0 §2.2.2.2): Server Keep Alive 0x13, Reason String 0x1F,
    // Receive Maximum 0x21, Topic Alias 0x23, User Property 0x26, Maximum Packet Size 0x27.
    private static void Properties(List<byte> body, MqttProperties p)
    {
        var list = new List<byte>();
        if (p.ServerKeepAlive is { } keepAlive)
        {
            list.Add(0x13);
            UInt16(list, keepAlive);
        }

        if (p.ReasonString is { } reason)
        {
            list.Add(0x1F);
            String(list, reason);
        }

        if (p.ReceiveMaximum is { } receiveMaximum)
        {
            list.Add(0x21);
            UInt16(list, receiveMaximum);
        }

        if (p.TopicAlias is { } alias)
        {
            list.Add(0x23);
            UInt16(list, alias);
        }

        foreach (MqttUserProperty user in p.UserProperties)
        {
            list.Add(0x26);
            String(list, user.Name);
            String(list, user.Value);
        }

        if (p.MaximumPacketSize is { } maximum)
        {
            list.Add(0x27);
            byte[] four = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(four, maximum);
            list.AddRange(four);
        }

        VariableByteInteger(body, list.Count);
        body.AddRange(list);
    }

    private static void UInt16(List<byte> bytes, ushort value)
    {
        bytes.Add((byte)(value >> 8));
        bytes.Add((byte)value);
    }

    private static void String(List<byte> bytes, string text)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        UInt16(bytes, (ushort)utf8.Length);
        bytes.AddRange(utf8);
    }

    private static void VariableByteInteger(List<byte> bytes, int value)
    {
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value > 0 ? (byte)(b | 0x80) : b);
        }
        while (value > 0);
    }

    /// <summary>A client packet's body, read field by field.</summary>
    private sealed class Body(byte[] bytes)
    {
        private int _position;

        public bool End => _position == bytes.Length;

        public byte Byte() => bytes[_position++];

        public ushort UInt16()
        {
            ushort value = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(_position));
            _position += 2;
            return value;
        }

        public byte[] Binary()
        {
            int length = UInt16();
            byte[] value = bytes.AsSpan(_position, length).ToArray();
            _position += length;
            return value;
        }

        public string String() => Encoding.UTF8.GetString(Binary());

        public byte[] Rest()
        {
            byte[] rest = bytes[_position..];
            _position = bytes.Length;
            return rest;
        }

        public int VariableByteInteger()
        {
            int value = 0;
            for (int shift = 0; ; shift += 7)
            {
                byte b = Byte();
                value |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return value;
                }
            }
        }

        /// <summary>Reads a property list, keeping what the tests look at and skipping the rest by its type.</summary>
        public MqttProperties Properties()
        {
            var p = new MqttProperties();
            int end = VariableByteInteger() + _position;
            while (_position < end)
            {
                int id = VariableByteInteger();
                switch (id)
                {
                    case 0x26:
                        p.UserProperties.Add(new MqttUserProperty(String(), String()));
                        break;
                    case 0x27:
                        p.MaximumPacketSize = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(_position));
                        _position += 4;
                        break;
                    case 0x1F:
                        p.ReasonString = String();
                        break;
                    case 0x21:
                        p.ReceiveMaximum = UInt16();
                        break;
                    case 0x13 or 0x22 or 0x23:
                        UInt16();
                        break;
                    case 0x02 or 0x11 or 0x18:
                        _position += 4;
                        break;
                    case 0x03 or 0x08 or 0x12 or 0x15 or 0x1A or 0x1C:
                        String();
                        break;
                    case 0x09 or 0x16:
                        Binary();
                        break;
                    case 0x0B:
                        VariableByteInteger();
                        break;
                    default:
                        Byte();
                        break;
                }
            }

            return p;
        }
    }
}
