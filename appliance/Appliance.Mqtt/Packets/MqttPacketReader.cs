using System.Buffers;

namespace Appliance.Mqtt.Packets;

/// <summary>
/// Reads MQTT packets from a byte sequence, one contract for every parser (STYLE.md): <c>false</c> and
/// nothing consumed when the input is incomplete; <see cref="MqttProtocolException"/> with the MQTT
/// reason code when it is malformed; the declared length checked against the maximum packet size
/// as soon as the fixed header is complete, before the body is waited for or buffered.
/// </summary>
internal static class MqttPacketReader
{
    private const int MaxLengthBytes = 4;

    /// <summary>
    /// Reads a fixed header (MQTT 5.0 §2.1.1, 3.1.1 §2.2):
    /// <code>
    ///   bit      7   6   5   4   3   2   1   0
    ///   byte 1   [ packet type  ][    flags     ]     §2.1.2, §2.1.3
    ///   byte 2.. Remaining Length, Variable Byte Integer, 1 to 4 bytes (§2.1.4, §1.5.5)
    /// </code>
    /// Validates the type, the flags for that type, the length encoding (at most 4 bytes; minimal in 5.0)
    /// and the total size against <see cref="MqttCodecSettings.MaximumPacketSize"/>. Consumes the header on success.
    /// </summary>
    public static bool TryReadFixedHeader(ref SequenceReader<byte> reader, in MqttCodecSettings settings, out FixedHeader header)
    {
        header = default;
        SequenceReader<byte> probe = reader;
        if (!probe.TryRead(out byte first))
        {
            return false;
        }

        var type = (MqttPacketType)(first >> 4);
        byte flags = (byte)(first & 0x0F);
        CheckTypeAndFlags(type, flags, settings.Version);

        int remaining = 0;
        int lengthBytes = 0;
        while (true)
        {
            if (!probe.TryRead(out byte b))
            {
                return false;
            }

            remaining |= (b & 0x7F) << (7 * lengthBytes);
            lengthBytes++;
            if ((b & 0x80) == 0)
            {
                if (lengthBytes > 1 && b == 0 && settings.Version == MqttProtocolVersion.V500)
                {
                    MqttProtocolException.ThrowMalformed($"{PacketBodyReader.Describe(type)}: the Remaining Length is not minimally encoded (MQTT 5.0 §1.5.5)");
                }

                break;
            }

            if (lengthBytes == MaxLengthBytes)
            {
                MqttProtocolException.ThrowMalformed($"{PacketBodyReader.Describe(type)}: the Remaining Length has a fifth byte; it is at most 4 bytes (MQTT 5.0 §1.5.5, 3.1.1 §2.2.3)");
            }
        }

        int total = 1 + lengthBytes + remaining;
        if (total > settings.MaximumPacketSize)
        {
            MqttProtocolException.Throw(
                MqttReasonCode.PacketTooLarge,
                $"{PacketBodyReader.Describe(type)} of {total} bytes exceeds the maximum packet size of {settings.MaximumPacketSize} bytes (MQTT 5.0 §3.1.2.11.4)");
        }

        header = new FixedHeader(type, flags, remaining, 1 + lengthBytes);
        reader = probe;
        return true;
    }

    /// <summary>Reads one whole packet; false and nothing consumed until all its bytes are present.</summary>
    public static bool TryRead(ref SequenceReader<byte> reader, in MqttCodecSettings settings, out MqttPacket? packet)
    {
        packet = null;
        SequenceReader<byte> probe = reader;
        if (!TryReadFixedHeader(ref probe, settings, out FixedHeader header) || probe.Remaining < header.RemainingLength)
        {
            return false;
        }

        var body = new PacketBodyReader(probe.UnreadSequence.Slice(0, header.RemainingLength), header.Type);
        packet = ReadBody(ref body, header, settings.Version);
        reader.Advance(header.TotalLength);
        return true;
    }

    private static MqttPacket ReadBody(ref PacketBodyReader body, in FixedHeader header, MqttProtocolVersion version)
    {
        switch (header.Type)
        {
            case MqttPacketType.Connect:
                return ConnectPacket.Read(ref body);
            case MqttPacketType.ConnAck:
                return ConnAckPacket.Read(ref body, version);
            case MqttPacketType.Publish:
                return PublishPacket.Read(ref body, header.Flags, version);
            case MqttPacketType.PubAck or MqttPacketType.PubRec or MqttPacketType.PubRel or MqttPacketType.PubComp:
                return PublishAckPacket.Read(ref body, header.Type, version);
            case MqttPacketType.Subscribe:
                return SubscribePacket.Read(ref body, version);
            case MqttPacketType.SubAck:
                return SubAckPacket.Read(ref body, version);
            case MqttPacketType.Unsubscribe:
                return UnsubscribePacket.Read(ref body, version);
            case MqttPacketType.UnsubAck:
                return UnsubAckPacket.Read(ref body, version);
            case MqttPacketType.PingReq:
                body.ExpectEnd();
                return PingReqPacket.Instance;
            case MqttPacketType.PingResp:
                body.ExpectEnd();
                return PingRespPacket.Instance;
            case MqttPacketType.Disconnect:
                return DisconnectPacket.Read(ref body, version);
            default:
                return AuthPacket.Read(ref body);
        }
    }

    // MQTT 5.0 §2.1.3, Table 2-2 (3.1.1 §2.2.2, Table 2.2): PUBLISH carries DUP, QoS and RETAIN;
    // PUBREL, SUBSCRIBE and UNSUBSCRIBE must be 0010; every other packet 0000. Anything else is malformed.
    private static void CheckTypeAndFlags(MqttPacketType type, byte flags, MqttProtocolVersion version)
    {
        if (type == 0 || (type == MqttPacketType.Auth && version != MqttProtocolVersion.V500))
        {
            MqttProtocolException.ThrowMalformed($"packet type {(int)type} is reserved (MQTT 5.0 §2.1.2, 3.1.1 §2.2.1)");
        }

        if (type == MqttPacketType.Publish)
        {
            PublishPacket.CheckFlags(flags);
            return;
        }

        byte expected = type is MqttPacketType.PubRel or MqttPacketType.Subscribe or MqttPacketType.Unsubscribe ? (byte)0x02 : (byte)0x00;
        if (flags != expected)
        {
            MqttProtocolException.ThrowMalformed($"{PacketBodyReader.Describe(type)}: reserved fixed-header flags are 0x{flags:X} instead of 0x{expected:X} (MQTT 5.0 §2.1.3)");
        }
    }
}
