namespace Appliance.Mqtt.Guard;

/// <summary>
/// The checks every packet from the broker passes before MQTTnet sees a byte of it. MQTTnet's channel adapter
/// allocates the body at whatever length the fixed header claims and decodes leniently (it accepts a fifth length
/// byte's worth of garbage as a closed connection, ignores reserved flags, keeps duplicate properties, replaces
/// invalid UTF-8, tolerates a PUBACK for nothing in flight); these checks are the promises the hand-written client
/// kept, now kept in front of the library:
/// <code>
///   bit      7   6   5   4   3   2   1   0
///   byte 1   [ packet type  ][    flags     ]     §2.1.2, §2.1.3: flags exact per type
///   byte 2.. Remaining Length, 1 to 4 bytes       §2.1.4, §1.5.5: at most 4 bytes, within our maximum packet size
/// </code>
/// </summary>
internal static class InboundPacket
{
    private const int MaxLengthBytes = 4;
    private const byte DupFlag = 0x08;
    private const byte QosMask = 0x06;

    /// <summary>
    /// The total length of the packet at the start of <paramref name="bytes"/>, or 0 while its fixed header is
    /// incomplete. The type and flags are checked as soon as the first byte is in, the length as soon as its last
    /// byte is: a claim over <paramref name="maximumPacketSize"/> is refused before the body is waited for.
    /// </summary>
    public static int Frame(ReadOnlySpan<byte> bytes, MqttProtocolVersion version, int maximumPacketSize)
    {
        if (bytes.IsEmpty)
        {
            return 0;
        }

        var type = (PacketType)(bytes[0] >> 4);
        CheckTypeAndFlags(type, (byte)(bytes[0] & 0x0F), version);
        int remaining = 0;
        for (int i = 0; i < MaxLengthBytes; i++)
        {
            if (1 + i >= bytes.Length)
            {
                return 0;
            }

            byte b = bytes[1 + i];
            remaining |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) != 0)
            {
                continue;
            }

            if (i > 0 && b == 0 && version == MqttProtocolVersion.V500)
            {
                MqttProtocolException.ThrowMalformed($"{Name(type)}: the Remaining Length is not minimally encoded (MQTT 5.0 §1.5.5)");
            }

            int total = 2 + i + remaining;
            if (total > maximumPacketSize)
            {
                MqttProtocolException.Throw(
                    MqttReasonCode.PacketTooLarge,
                    $"{Name(type)} of {total} bytes exceeds the maximum packet size of {maximumPacketSize} bytes (MQTT 5.0 §3.1.2.11.4)");
            }

            return total;
        }

        MqttProtocolException.ThrowMalformed($"{Name(type)}: the Remaining Length has a fifth byte; it is at most 4 bytes (MQTT 5.0 §1.5.5, 3.1.1 §2.2.3)");
        return 0;
    }

    /// <summary>
    /// Checks one whole packet (as framed by <see cref="Frame"/>) against the specification and against what this
    /// connection has sent: CONNACK first and once, PUBACK only for a QoS 1 PUBLISH in flight, SUBACK with one reason
    /// code per topic filter of its SUBSCRIBE, nothing of QoS 2, AUTH or topic aliases. A 5.0 DISCONNECT passes
    /// (MQTTnet closes the connection) with its reason recorded in <paramref name="guard"/>.
    /// </summary>
    public static void Validate(ReadOnlySpan<byte> packet, ConnectionGuard guard)
    {
        var type = (PacketType)(packet[0] >> 4);
        byte flags = (byte)(packet[0] & 0x0F);
        int header = 2;
        while ((packet[header - 1] & 0x80) != 0)
        {
            header++;
        }

        bool v5 = guard.Version == MqttProtocolVersion.V500;
        var body = new InboundBody(packet[header..], type);
        if (type == PacketType.ConnAck)
        {
            ValidateConnAck(ref body, guard);
            return;
        }

        if (!guard.ConnAckSeen)
        {
            MqttProtocolException.ThrowProtocolError($"the broker sent {Name(type)} before CONNACK; CONNACK must be its first packet (MQTT 5.0 §3.2, 3.1.1 §3.2)");
        }

        switch (type)
        {
            case PacketType.Publish:
                ValidatePublish(ref body, flags, v5);
                break;
            case PacketType.PubAck:
                ushort id = body.ReadPacketId();
                ReadAcknowledgementRest(ref body, v5, code => code is 0x00 or 0x10 or 0x80 or 0x83 or 0x87 or 0x90 or 0x91 or 0x97 or 0x99);
                if (!guard.Acknowledge(id))
                {
                    MqttProtocolException.ThrowProtocolError($"PUBACK for packet identifier {id}, which is not in flight (MQTT 5.0 §4.3.2)");
                }

                break;
            case PacketType.PubRec or PacketType.PubRel or PacketType.PubComp:
                MqttProtocolException.ThrowProtocolError(
                    $"the broker sent {Name(type)} for packet identifier {body.ReadPacketId()}: a QoS 2 flow, but this client never publishes with QoS 2 (MQTT 5.0 §4.3.3)");
                break;
            case PacketType.SubAck:
                ValidateSubAck(ref body, v5, guard);
                break;
            case PacketType.UnsubAck:
                MqttProtocolException.ThrowProtocolError("the broker sent UNSUBACK, but this client never sends UNSUBSCRIBE (MQTT 5.0 §3.11)");
                break;
            case PacketType.PingResp:
                body.ExpectEnd();
                break;
            case PacketType.Disconnect when v5:
                ValidateDisconnect(ref body, guard);
                break;
            case PacketType.Auth:
                MqttProtocolException.ThrowProtocolError("the broker sent AUTH though the client sent no Authentication Method (MQTT 5.0 §4.12)");
                break;
            default:
                MqttProtocolException.ThrowProtocolError($"the broker sent {Name(type)}, a packet only a client sends (MQTT 5.0 §2.1.2, 3.1.1 §2.2.1)");
                break;
        }
    }

    /// <summary>What the bytes of an unfinished packet are, for the message when the broker closes the connection in the middle of one.</summary>
    public static string DescribePartial(ReadOnlySpan<byte> bytes)
    {
        var type = (PacketType)(bytes[0] >> 4);
        int lengthBytes = 0;
        int remaining = 0;
        while (lengthBytes < MaxLengthBytes && 1 + lengthBytes < bytes.Length)
        {
            byte b = bytes[1 + lengthBytes];
            remaining |= (b & 0x7F) << (7 * lengthBytes);
            lengthBytes++;
            if ((b & 0x80) == 0)
            {
                return $"{Name(type)} after {bytes.Length} of its {1 + lengthBytes + remaining} bytes";
            }
        }

        return $"{Name(type)} inside its fixed header, after {bytes.Length} byte{(bytes.Length == 1 ? string.Empty : "s")}";
    }

    public static string Name(PacketType type) => type switch
    {
        PacketType.ConnAck => "CONNACK",
        PacketType.PubAck => "PUBACK",
        PacketType.PubRec => "PUBREC",
        PacketType.PubRel => "PUBREL",
        PacketType.PubComp => "PUBCOMP",
        PacketType.SubAck => "SUBACK",
        PacketType.UnsubAck => "UNSUBACK",
        PacketType.PingReq => "PINGREQ",
        PacketType.PingResp => "PINGRESP",
        _ => type.ToString().ToUpperInvariant(),
    };

    // MQTT 5.0 §2.1.3, Table 2-2 (3.1.1 §2.2.2): PUBLISH carries DUP, QoS and RETAIN (QoS 3, and DUP on QoS 0, are
    // malformed: §3.3.1.1, §3.3.1.2); PUBREL, SUBSCRIBE and UNSUBSCRIBE must be 0010; every other packet 0000.
    private static void CheckTypeAndFlags(PacketType type, byte flags, MqttProtocolVersion version)
    {
        if (type == PacketType.Reserved || (type == PacketType.Auth && version != MqttProtocolVersion.V500))
        {
            MqttProtocolException.ThrowMalformed($"packet type {(int)type} is reserved (MQTT 5.0 §2.1.2, 3.1.1 §2.2.1)");
        }

        if (type == PacketType.Publish)
        {
            int qos = (flags & QosMask) >> 1;
            if (qos == 3)
            {
                MqttProtocolException.ThrowMalformed("PUBLISH: QoS 3 is not allowed (MQTT 5.0 §3.3.1.2)");
            }

            if (qos == 0 && (flags & DupFlag) != 0)
            {
                MqttProtocolException.ThrowMalformed("PUBLISH: DUP is set on a QoS 0 message (MQTT 5.0 §3.3.1.1)");
            }

            return;
        }

        byte expected = type is PacketType.PubRel or PacketType.Subscribe or PacketType.Unsubscribe ? (byte)0x02 : (byte)0x00;
        if (flags != expected)
        {
            MqttProtocolException.ThrowMalformed($"{Name(type)}: reserved fixed-header flags are 0x{flags:X} instead of 0x{expected:X} (MQTT 5.0 §2.1.3)");
        }
    }

    // CONNACK, MQTT 5.0 §3.2 and 3.1.1 §3.2:
    //   offset 0  acknowledge flags: bits 7-1 reserved = 0, bit 0 Session Present (§3.2.2.1)
    //          1  Connect Reason Code (5.0 §3.2.2.2) / Connect Return Code 0-5 (3.1.1 §3.2.2.3)
    //          2  properties (5.0 only, §3.2.2.3)
    private static void ValidateConnAck(ref InboundBody body, ConnectionGuard guard)
    {
        if (guard.ConnAckSeen)
        {
            MqttProtocolException.ThrowProtocolError("the broker sent a second CONNACK (MQTT 5.0 §3.2: it is sent once, first)");
        }

        bool v5 = guard.Version == MqttProtocolVersion.V500;
        byte flags = body.ReadByte("acknowledge flags");
        if ((flags & 0xFE) != 0)
        {
            MqttProtocolException.ThrowMalformed($"CONNACK: reserved acknowledge flag bits are set (0x{flags:X2}) (MQTT 5.0 §3.2.2.1)");
        }

        byte code = body.ReadByte(v5 ? "reason code" : "return code");
        bool known = v5
            ? code is 0x00 or (>= 0x80 and <= 0x8A) or 0x8C or 0x90 or 0x95 or 0x97 or 0x99 or 0x9A or 0x9B or 0x9C or 0x9D or 0x9F
            : code <= 5;
        if (!known)
        {
            MqttProtocolException.ThrowProtocolError($"CONNACK: {(v5 ? "reason" : "return")} code 0x{code:X2} is not defined (MQTT 5.0 §3.2.2.2, 3.1.1 §3.2.2.3)");
        }

        if ((flags & 1) != 0)
        {
            MqttProtocolException.ThrowProtocolError(code == 0
                ? "CONNACK has Session Present though the client asked for a clean start (MQTT 5.0 §3.2.2.1.1, 3.1.1 §3.2.2.2)"
                : $"CONNACK: Session Present with the refusal 0x{code:X2} (MQTT 5.0 §3.2.2.1.1)");
        }

        if (v5)
        {
            InboundProperties.Read(ref body, PacketType.ConnAck);
        }

        body.ExpectEnd();
        guard.ConnAckSeen = true;
        guard.ConnAckCode = code;
    }

    // PUBLISH, MQTT 5.0 §3.3: Topic Name (no wildcards, §3.3.2.1), Packet Identifier (QoS 1 and 2), properties (5.0), payload.
    private static void ValidatePublish(ref InboundBody body, byte flags, bool v5)
    {
        int qos = (flags & QosMask) >> 1;
        string topic = body.ReadString("topic name");
        if (qos > 1)
        {
            MqttProtocolException.ThrowProtocolError(
                $"the broker sent a QoS {qos} PUBLISH to \"{topic}\", above the QoS 1 this client subscribes with (MQTT 5.0 §3.8.4); QoS 2 is refused");
        }

        if (qos > 0)
        {
            body.ReadPacketId();
        }

        if (v5 && InboundProperties.Read(ref body, PacketType.Publish).HasTopicAlias)
        {
            MqttProtocolException.Throw(
                MqttReasonCode.TopicAliasInvalid, "the broker sent a Topic Alias, but this client allows none (Topic Alias Maximum 0, MQTT 5.0 §3.3.2.3.4)");
        }

        if (MqttText.ProblemWithTopicName(topic) is { } problem)
        {
            MqttProtocolException.ThrowProtocolError($"PUBLISH: topic name {problem}");
        }
    }

    // PUBACK, MQTT 5.0 §3.4.2: after the Packet Identifier, a Reason Code and properties, each omitted when the
    // Remaining Length ends before it; 3.1.1: the Packet Identifier only.
    private static void ReadAcknowledgementRest(ref InboundBody body, bool v5, Func<byte, bool> defined)
    {
        if (v5 && !body.End)
        {
            byte code = body.ReadByte("reason code");
            if (!defined(code))
            {
                MqttProtocolException.ThrowProtocolError($"{Name(body.Type)}: reason code 0x{code:X2} is not defined for it (MQTT 5.0 §3.4.2.1)");
            }

            if (!body.End)
            {
                InboundProperties.Read(ref body, body.Type);
            }
        }

        body.ExpectEnd();
    }

    // SUBACK, MQTT 5.0 §3.9: Packet Identifier, properties (5.0), one Reason Code per Topic Filter of the SUBSCRIBE.
    private static void ValidateSubAck(ref InboundBody body, bool v5, ConnectionGuard guard)
    {
        ushort id = body.ReadPacketId();
        if (v5)
        {
            InboundProperties.Read(ref body, PacketType.SubAck);
        }

        int count = body.Remaining;
        while (!body.End)
        {
            byte code = body.ReadByte("reason code");
            bool known = v5
                ? code is 0x00 or 0x01 or 0x02 or 0x80 or 0x83 or 0x87 or 0x8F or 0x91 or 0x97 or 0x9E or 0xA1 or 0xA2
                : code is 0x00 or 0x01 or 0x02 or 0x80;
            if (!known)
            {
                MqttProtocolException.ThrowProtocolError($"SUBACK: reason code 0x{code:X2} is not defined (MQTT 5.0 §3.9.3, 3.1.1 §3.9.3)");
            }
        }

        if (count == 0)
        {
            MqttProtocolException.ThrowProtocolError("SUBACK: no reason codes; it must carry one per topic filter of the SUBSCRIBE (MQTT 5.0 §3.9.3)");
        }

        int? filters = guard.TakeSubscribe(id);
        if (filters is null)
        {
            MqttProtocolException.ThrowProtocolError($"SUBACK for packet identifier {id}, which no outstanding SUBSCRIBE used (MQTT 5.0 §3.9.2)");
        }

        if (filters != count)
        {
            MqttProtocolException.ThrowProtocolError(
                $"SUBACK carries {count} reason codes for the {filters} topic filters of the SUBSCRIBE; it must carry one for each (MQTT 5.0 §3.9.3)");
        }
    }

    // DISCONNECT, MQTT 5.0 §3.14: a Reason Code and properties, each omitted when the Remaining Length ends before it.
    private static void ValidateDisconnect(ref InboundBody body, ConnectionGuard guard)
    {
        byte code = 0;
        InboundProperties properties = default;
        if (!body.End)
        {
            code = body.ReadByte("reason code");
            if (code is not (0x00 or 0x04 or (>= 0x80 and <= 0x83) or 0x87 or 0x89 or 0x8B or (>= 0x8D and <= 0x90) or (>= 0x93 and <= 0xA2)))
            {
                MqttProtocolException.ThrowProtocolError($"DISCONNECT: reason code 0x{code:X2} is not defined (MQTT 5.0 §3.14.2.1)");
            }
        }

        if (!body.End)
        {
            properties = InboundProperties.Read(ref body, PacketType.Disconnect);
        }

        body.ExpectEnd();
        string text = $"the broker sent DISCONNECT with reason 0x{code:X2} {(MqttReasonCode)code}";
        if (properties.ReasonString is { } reason)
        {
            text += $": {reason}";
        }

        if (properties.ServerReference is { } reference)
        {
            text += $"; it points to {reference}";
        }

        guard.Fail(new MqttError(MqttErrorKind.BrokerDisconnected, text, (MqttReasonCode)code, guard.Now()));
    }
}
