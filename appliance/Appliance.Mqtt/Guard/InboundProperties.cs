namespace Appliance.Mqtt.Guard;

/// <summary>
/// Checks an MQTT 5.0 property list (§2.2.2) from the broker:
/// <code>
///   +-------------------------------+----------------------------------------------+
///   | Property Length (VBI, §1.5.5) | identifier (VBI) + value, repeated            |
///   +-------------------------------+----------------------------------------------+
/// </code>
/// Each identifier must be known, allowed in the packet it appears in (Table 2-4), appear once (except User
/// Property, and Subscription Identifier in a PUBLISH), and carry a value in range. MQTTnet's decoder skips these
/// checks (it keeps the last of a repeated property and reads strings without checking their UTF-8).
/// </summary>
internal readonly record struct InboundProperties(string? ReasonString, string? ServerReference, bool HasTopicAlias)
{
    [Flags]
    private enum Where
    {
        None = 0,
        Will = 1 << 1,
        ConnAck = 1 << 2,
        Publish = 1 << 3,
        PublishResponse = 1 << 4,
        SubAck = 1 << 6,
        UnsubAck = 1 << 8,
        Disconnect = 1 << 9,
        Auth = 1 << 10,
        Connect = 1 << 11,
        Subscribe = 1 << 12,
        All = ~0,
    }

    /// <summary>Reads and checks the Property Length and the properties of a <paramref name="type"/> packet.</summary>
    public static InboundProperties Read(ref InboundBody body, PacketType type)
    {
        Where context = type switch
        {
            PacketType.ConnAck => Where.ConnAck,
            PacketType.Publish => Where.Publish,
            PacketType.SubAck => Where.SubAck,
            PacketType.UnsubAck => Where.UnsubAck,
            PacketType.Disconnect => Where.Disconnect,
            PacketType.Auth => Where.Auth,
            _ => Where.PublishResponse,
        };
        int length = body.ReadVariableByteInteger("property length");
        InboundBody list = body.ReadSection(length, "property length");
        string where = InboundPacket.Name(type);
        string? reasonString = null;
        string? serverReference = null;
        bool topicAlias = false;
        ulong seen = 0;
        while (!list.End)
        {
            int id = list.ReadVariableByteInteger("property identifier");
            Where allowed = id is > 0 and <= 0x2A ? Allowed(id) : Where.None;
            if (allowed == Where.None)
            {
                MqttProtocolException.ThrowMalformed($"{where}: unknown property identifier 0x{id:X2} (MQTT 5.0 §2.2.2.2)");
            }

            if ((allowed & context) == 0)
            {
                MqttProtocolException.ThrowMalformed($"{where}: property 0x{id:X2} is not allowed in {where} (MQTT 5.0 §2.2.2.2)");
            }

            bool repeatable = id == UserPropertyId || (id == SubscriptionIdentifierId && type == PacketType.Publish);
            ulong bit = 1UL << id;
            if ((seen & bit) != 0 && !repeatable)
            {
                MqttProtocolException.ThrowProtocolError($"{where}: property {NameOf(id)} (0x{id:X2}) appears more than once (MQTT 5.0 §2.2.2.2)");
            }

            seen |= bit;
            switch (id)
            {
                case ReasonStringId:
                    reasonString = list.ReadString("Reason String");
                    break;
                case ServerReferenceId:
                    serverReference = list.ReadString("Server Reference");
                    break;
                case TopicAliasId:
                    NonZero(list.ReadUInt16("Topic Alias"), "Topic Alias", where);
                    topicAlias = true;
                    break;
                case UserPropertyId:
                    list.ReadString("User Property name");
                    list.ReadString("User Property value");
                    break;
                case 0x03 or 0x08 or 0x12 or 0x15 or 0x1A:
                    list.ReadString(NameOf(id));
                    break;
                case 0x09 or 0x16:
                    list.SkipBinary(NameOf(id));
                    break;
                case 0x02 or 0x11 or 0x18:
                    list.ReadUInt32(NameOf(id));
                    break;
                case MaximumPacketSizeId:
                    NonZero(list.ReadUInt32("Maximum Packet Size"), "Maximum Packet Size", where);
                    break;
                case ReceiveMaximumId:
                    NonZero(list.ReadUInt16("Receive Maximum"), "Receive Maximum", where);
                    break;
                case 0x13 or 0x22:
                    list.ReadUInt16(NameOf(id));
                    break;
                case SubscriptionIdentifierId:
                    NonZero((uint)list.ReadVariableByteInteger("Subscription Identifier"), "Subscription Identifier", where);
                    break;
                default:
                    // The byte properties that are booleans, and Maximum QoS: 0 or 1.
                    byte value = list.ReadByte(NameOf(id));
                    if (value > 1)
                    {
                        MqttProtocolException.ThrowProtocolError($"{where}: {NameOf(id)} is {value}; it must be 0 or 1 (MQTT 5.0 §2.2.2.2)");
                    }

                    break;
            }
        }

        return new InboundProperties(reasonString, serverReference, topicAlias);
    }

    private const int SubscriptionIdentifierId = 0x0B;
    private const int ServerReferenceId = 0x1C;
    private const int ReasonStringId = 0x1F;
    private const int ReceiveMaximumId = 0x21;
    private const int TopicAliasId = 0x23;
    private const int UserPropertyId = 0x26;
    private const int MaximumPacketSizeId = 0x27;

    // MQTT 5.0 §2.2.2.2, Table 2-4: the packets each property may appear in.
    private static Where Allowed(int id) => id switch
    {
        0x01 or 0x02 or 0x03 or 0x08 or 0x09 => Where.Publish | Where.Will,
        SubscriptionIdentifierId => Where.Publish | Where.Subscribe,
        0x11 => Where.Connect | Where.ConnAck | Where.Disconnect,
        0x12 or 0x13 or 0x1A or 0x24 or 0x25 or 0x28 or 0x29 or 0x2A => Where.ConnAck,
        0x15 or 0x16 => Where.Connect | Where.ConnAck | Where.Auth,
        0x17 or 0x19 => Where.Connect,
        0x18 => Where.Will,
        ServerReferenceId => Where.ConnAck | Where.Disconnect,
        ReasonStringId => Where.ConnAck | Where.PublishResponse | Where.SubAck | Where.UnsubAck | Where.Disconnect | Where.Auth,
        ReceiveMaximumId or 0x22 or MaximumPacketSizeId => Where.Connect | Where.ConnAck,
        TopicAliasId => Where.Publish,
        UserPropertyId => Where.All,
        _ => Where.None,
    };

    private static string NameOf(int id) => id switch
    {
        0x01 => "PayloadFormatIndicator",
        0x02 => "MessageExpiryInterval",
        0x03 => "ContentType",
        0x08 => "ResponseTopic",
        0x09 => "CorrelationData",
        SubscriptionIdentifierId => "SubscriptionIdentifier",
        0x11 => "SessionExpiryInterval",
        0x12 => "AssignedClientIdentifier",
        0x13 => "ServerKeepAlive",
        0x15 => "AuthenticationMethod",
        0x16 => "AuthenticationData",
        0x17 => "RequestProblemInformation",
        0x18 => "WillDelayInterval",
        0x19 => "RequestResponseInformation",
        0x1A => "ResponseInformation",
        ServerReferenceId => "ServerReference",
        ReasonStringId => "ReasonString",
        ReceiveMaximumId => "ReceiveMaximum",
        0x22 => "TopicAliasMaximum",
        TopicAliasId => "TopicAlias",
        0x24 => "MaximumQos",
        0x25 => "RetainAvailable",
        UserPropertyId => "UserProperty",
        MaximumPacketSizeId => "MaximumPacketSize",
        0x28 => "WildcardSubscriptionAvailable",
        0x29 => "SubscriptionIdentifierAvailable",
        _ => "SharedSubscriptionAvailable",
    };

    private static void NonZero(uint value, string name, string where)
    {
        if (value == 0)
        {
            MqttProtocolException.ThrowProtocolError($"{where}: {name} 0 is not allowed (MQTT 5.0 §2.2.2.2)");
        }
    }
}
