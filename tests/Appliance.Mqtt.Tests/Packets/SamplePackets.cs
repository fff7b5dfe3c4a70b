using Appliance.Mqtt.Packets;

namespace Appliance.Mqtt.Tests.Packets;

/// <summary>One packet of every type, with every field its version can carry set to a non-default value.</summary>
internal static class SamplePackets
{
    private const string Text = "Kessel 3 · Temperatur °C 𪛔";

    public static IEnumerable<string> Names => Factories.Keys;

    public static MqttPacket Create(string name, MqttProtocolVersion version) => Factories[name](version == MqttProtocolVersion.V500);

    private static Dictionary<string, Func<bool, MqttPacket>> Factories { get; } = new()
    {
        ["CONNECT"] = v5 => new ConnectPacket
        {
            ProtocolVersion = v5 ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311,
            ClientId = "gateway-" + Text,
            CleanStart = true,
            KeepAliveSeconds = 65_535,
            UserName = "plant-user",
            Password = [0, 1, 2, 0xFF],
            Will = new MqttWill
            {
                Topic = "appliance/node-1/status",
                Payload = "offline"u8.ToArray(),
                Qos = 1,
                Retain = true,
                Properties = v5 ? WillProperties() : new MqttProperties(),
            },
            Properties = v5 ? ConnectProperties() : new MqttProperties(),
        },
        ["CONNECT minimal"] = v5 => new ConnectPacket
        {
            ProtocolVersion = v5 ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311,
            ClientId = string.Empty,
            CleanStart = false,
        },
        ["CONNACK"] = v5 => new ConnAckPacket { SessionPresent = true, ReasonCode = 0, Properties = v5 ? ConnAckProperties() : new MqttProperties() },
        ["CONNACK refused"] = v5 => new ConnAckPacket { ReasonCode = v5 ? (byte)0x86 : (byte)4 },
        ["PUBLISH QoS 1"] = v5 => new PublishPacket
        {
            Dup = true,
            Qos = 1,
            Retain = true,
            Topic = "appliance/node-1/" + Text,
            PacketId = 65_535,
            Properties = v5 ? PublishProperties() : new MqttProperties(),
            Payload = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray(),
        },
        ["PUBLISH QoS 0"] = _ => new PublishPacket { Topic = "a/b", Payload = "{}"u8.ToArray() },
        ["PUBLISH QoS 2 empty payload"] = _ => new PublishPacket { Qos = 2, Topic = "a", PacketId = 7 },
        ["PUBACK"] = v5 => PublishAck(MqttPacketType.PubAck, v5, 0x87),
        ["PUBACK success"] = v5 => new PublishAckPacket { Kind = MqttPacketType.PubAck, PacketId = 1 },
        ["PUBACK reason only"] = v5 => new PublishAckPacket { Kind = MqttPacketType.PubAck, PacketId = 2, ReasonCode = v5 ? (byte)0x10 : (byte)0 },
        ["PUBREC"] = v5 => PublishAck(MqttPacketType.PubRec, v5, 0x80),
        ["PUBREL"] = v5 => PublishAck(MqttPacketType.PubRel, v5, 0x92),
        ["PUBCOMP"] = v5 => PublishAck(MqttPacketType.PubComp, v5, 0x92),
        ["SUBSCRIBE"] = v5 => new SubscribePacket
        {
            PacketId = 513,
            Properties = v5 ? SubscribeProperties() : new MqttProperties(),
            Subscriptions =
            [
                new TopicSubscription("appliance/+/status", 1, v5, v5, v5 ? (byte)2 : (byte)0),
                new TopicSubscription("#", 0),
                new TopicSubscription(Text + "/+/#", 2, RetainHandling: v5 ? (byte)1 : (byte)0),
            ],
        },
        ["SUBACK"] = v5 => new SubAckPacket
        {
            PacketId = 513,
            Properties = v5 ? ReasonProperties() : new MqttProperties(),
            ReasonCodes = v5 ? [0x00, 0x01, 0x02, 0x80, 0x87, 0xA2] : [0x00, 0x01, 0x02, 0x80],
        },
        ["UNSUBSCRIBE"] = v5 => new UnsubscribePacket
        {
            PacketId = 9,
            Properties = v5 ? UserOnly() : new MqttProperties(),
            Filters = ["appliance/+/status", "#", Text],
        },
        ["UNSUBACK"] = v5 => new UnsubAckPacket
        {
            PacketId = 9,
            Properties = v5 ? ReasonProperties() : new MqttProperties(),
            ReasonCodes = v5 ? [0x00, 0x11, 0x87] : [],
        },
        ["PINGREQ"] = _ => PingReqPacket.Instance,
        ["PINGRESP"] = _ => PingRespPacket.Instance,
        ["DISCONNECT"] = v5 => new DisconnectPacket { ReasonCode = v5 ? (byte)0x8B : (byte)0, Properties = v5 ? DisconnectProperties() : new MqttProperties() },
        ["DISCONNECT reason only"] = v5 => new DisconnectPacket { ReasonCode = v5 ? (byte)0x04 : (byte)0 },
        ["DISCONNECT normal"] = _ => new DisconnectPacket(),
    };

    /// <summary>AUTH exists in 5.0 only.</summary>
    public static MqttPacket Auth() => new AuthPacket
    {
        ReasonCode = 0x18,
        Properties = WithUsers(new MqttProperties { AuthenticationMethod = "SCRAM-SHA-256", AuthenticationData = [1, 2, 3], ReasonString = Text }),
    };

    private static PublishAckPacket PublishAck(MqttPacketType kind, bool v5, byte code) => new()
    {
        Kind = kind,
        PacketId = 4242,
        ReasonCode = v5 ? code : (byte)0,
        Properties = v5 ? ReasonProperties() : new MqttProperties(),
    };

    private static MqttProperties ConnectProperties() => WithUsers(new MqttProperties
    {
        SessionExpiryInterval = 0xFFFF_FFFF,
        AuthenticationMethod = "SCRAM-SHA-1",
        AuthenticationData = [9, 8, 7],
        RequestProblemInformation = 0,
        RequestResponseInformation = 1,
        ReceiveMaximum = 20,
        TopicAliasMaximum = 10,
        MaximumPacketSize = 262_144,
    });

    private static MqttProperties WillProperties() => WithUsers(new MqttProperties
    {
        PayloadFormatIndicator = 1,
        MessageExpiryInterval = 3600,
        ContentType = "text/plain",
        ResponseTopic = "reply/" + Text,
        CorrelationData = [0xCA, 0xFE],
        WillDelayInterval = 5,
    });

    private static MqttProperties ConnAckProperties() => WithUsers(new MqttProperties
    {
        SessionExpiryInterval = 60,
        AssignedClientIdentifier = "auto-1234",
        ServerKeepAlive = 120,
        AuthenticationMethod = "SCRAM-SHA-1",
        AuthenticationData = [1],
        ResponseInformation = "resp/",
        ServerReference = "other:1883",
        ReasonString = Text,
        ReceiveMaximum = 100,
        TopicAliasMaximum = 5,
        MaximumQos = 1,
        RetainAvailable = 1,
        MaximumPacketSize = 1_000_000,
        WildcardSubscriptionAvailable = 1,
        SubscriptionIdentifierAvailable = 0,
        SharedSubscriptionAvailable = 1,
    });

    private static MqttProperties PublishProperties()
    {
        MqttProperties p = WithUsers(new MqttProperties
        {
            PayloadFormatIndicator = 0,
            MessageExpiryInterval = 86_400,
            ContentType = "application/json",
            ResponseTopic = "reply/here",
            CorrelationData = [1, 2, 3, 4],
            TopicAlias = 3,
        });
        p.SubscriptionIdentifiers.Add(1);
        p.SubscriptionIdentifiers.Add(268_435_455);
        return p;
    }

    private static MqttProperties SubscribeProperties()
    {
        MqttProperties p = UserOnly();
        p.SubscriptionIdentifiers.Add(16_384);
        return p;
    }

    private static MqttProperties ReasonProperties() => WithUsers(new MqttProperties { ReasonString = "not authorized: " + Text });

    private static MqttProperties DisconnectProperties() => WithUsers(new MqttProperties
    {
        SessionExpiryInterval = 0,
        ServerReference = "backup:8883",
        ReasonString = "maintenance",
    });

    private static MqttProperties UserOnly() => WithUsers(new MqttProperties());

    private static MqttProperties WithUsers(MqttProperties p)
    {
        p.UserProperties.Add(new MqttUserProperty("historical", "true"));
        p.UserProperties.Add(new MqttUserProperty("historical", "twice, same name"));
        p.UserProperties.Add(new MqttUserProperty(Text, string.Empty));
        return p;
    }
}
