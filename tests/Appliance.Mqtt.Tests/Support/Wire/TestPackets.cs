namespace Appliance.Mqtt.Tests.Wire;

// The packets a scripted broker reads from the client or writes to it: plain data, no validation. The
// client's own codec is MQTTnet's; this test-side model only has to read what a client sends and write
// what a broker (hostile or not) sends, byte for byte as the hostile catalogue needs.

/// <summary>MQTT control packet types (MQTT 5.0 §2.1.2).</summary>
internal enum MqttPacketType : byte
{
    Connect = 1,
    ConnAck = 2,
    Publish = 3,
    PubAck = 4,
    PubRec = 5,
    PubRel = 6,
    PubComp = 7,
    Subscribe = 8,
    SubAck = 9,
    Unsubscribe = 10,
    UnsubAck = 11,
    PingReq = 12,
    PingResp = 13,
    Disconnect = 14,
    Auth = 15,
}

internal abstract class MqttPacket
{
    public abstract MqttPacketType Type { get; }
}

/// <summary>The MQTT 5.0 properties the tests set or read; null means absent.</summary>
internal sealed class MqttProperties
{
    public ushort? ServerKeepAlive { get; set; }

    public string? ReasonString { get; set; }

    public ushort? ReceiveMaximum { get; set; }

    public ushort? TopicAlias { get; set; }

    public uint? MaximumPacketSize { get; set; }

    public List<MqttUserProperty> UserProperties { get; } = [];
}

internal sealed class MqttWill
{
    public required string Topic { get; init; }

    public byte[] Payload { get; init; } = [];

    public byte Qos { get; init; }

    public bool Retain { get; init; }
}

internal sealed class ConnectPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Connect;

    public MqttProtocolVersion ProtocolVersion { get; init; }

    public string ClientId { get; init; } = string.Empty;

    public bool CleanStart { get; init; }

    public ushort KeepAliveSeconds { get; init; }

    public string? UserName { get; init; }

    public byte[]? Password { get; init; }

    public MqttWill? Will { get; init; }

    public MqttProperties Properties { get; init; } = new();
}

internal sealed class ConnAckPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.ConnAck;

    public bool SessionPresent { get; init; }

    public byte ReasonCode { get; init; }

    public MqttProperties Properties { get; init; } = new();
}

internal sealed class PublishPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Publish;

    public bool Dup { get; init; }

    public byte Qos { get; init; }

    public bool Retain { get; init; }

    public required string Topic { get; init; }

    public ushort PacketId { get; init; }

    public MqttProperties Properties { get; init; } = new();

    public ReadOnlyMemory<byte> Payload { get; init; }
}

/// <summary>PUBACK, PUBREC, PUBREL or PUBCOMP.</summary>
internal sealed class PublishAckPacket : MqttPacket
{
    public override MqttPacketType Type => Kind;

    public MqttPacketType Kind { get; init; } = MqttPacketType.PubAck;

    public ushort PacketId { get; init; }

    public byte ReasonCode { get; init; }

    public MqttProperties Properties { get; init; } = new();
}

internal sealed record TopicSubscription(string Filter, byte Options);

internal sealed class SubscribePacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Subscribe;

    public ushort PacketId { get; init; }

    public required IReadOnlyList<TopicSubscription> Subscriptions { get; init; }
}

internal sealed class SubAckPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.SubAck;

    public ushort PacketId { get; init; }

    public required IReadOnlyList<byte> ReasonCodes { get; init; }
}

internal sealed class DisconnectPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Disconnect;

    public byte ReasonCode { get; init; }

    public MqttProperties Properties { get; init; } = new();
}

internal sealed class PingReqPacket : MqttPacket
{
    public static readonly PingReqPacket Instance = new();

    public override MqttPacketType Type => MqttPacketType.PingReq;
}

internal sealed class PingRespPacket : MqttPacket
{
    public static readonly PingRespPacket Instance = new();

    public override MqttPacketType Type => MqttPacketType.PingResp;
}
