namespace Appliance.Mqtt.Packets;

/// <summary>
/// PUBLISH, MQTT 5.0 §3.3 and 3.1.1 §3.3:
/// <code>
///   fixed header  0011 DUP QoS QoS RETAIN, Remaining Length (§3.3.1)
///   Topic Name         UTF-8 string, no wildcards (§3.3.2.1)
///   Packet Identifier  2 bytes, QoS 1 and 2 only (§3.3.2.2)
///   properties         5.0 only (§3.3.2.3)
///   payload            the rest of the packet (§3.3.3)
/// </code>
/// </summary>
internal sealed class PublishPacket : MqttPacket
{
    private const byte DupFlag = 0x08;
    private const byte QosMask = 0x06;
    private const byte RetainFlag = 0x01;

    public override MqttPacketType Type => MqttPacketType.Publish;

    public bool Dup { get; init; }

    public byte Qos { get; init; }

    public bool Retain { get; init; }

    public required string Topic { get; init; }

    /// <summary>0 for QoS 0.</summary>
    public ushort PacketId { get; init; }

    public MqttProperties Properties { get; init; } = new MqttProperties();

    public ReadOnlyMemory<byte> Payload { get; init; }

    internal override byte Flags => (byte)((Dup ? DupFlag : 0) | (Qos << 1) | (Retain ? RetainFlag : 0));

    /// <summary>Checks the flags of a PUBLISH fixed header: QoS 3 and DUP on QoS 0 are malformed (§3.3.1.1, §3.3.1.2).</summary>
    internal static void CheckFlags(byte flags)
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
    }

    internal static PublishPacket Read(ref PacketBodyReader body, byte flags, MqttProtocolVersion version)
    {
        byte qos = (byte)((flags & QosMask) >> 1);
        bool v5 = version == MqttProtocolVersion.V500;
        string topic = body.ReadString("topic name");
        ushort packetId = qos > 0 ? body.ReadPacketId() : (ushort)0;
        MqttProperties properties = v5 ? MqttPropertyCodec.Read(ref body, PropertyContext.Publish) : new MqttProperties();
        MqttTopic.CheckName(topic, "PUBLISH: topic name", allowEmpty: v5 && properties.TopicAlias is not null);
        byte[] payload = body.ReadRest();
        return new PublishPacket
        {
            Dup = (flags & DupFlag) != 0,
            Qos = qos,
            Retain = (flags & RetainFlag) != 0,
            Topic = topic,
            PacketId = packetId,
            Properties = properties,
            Payload = payload,
        };
    }

    internal override int MeasureBody(MqttProtocolVersion version) =>
        PacketWriter.MeasureString(Topic, "topic name")
        + (Qos > 0 ? 2 : 0)
        + (version == MqttProtocolVersion.V500 ? MqttPropertyCodec.Measure(Properties) : 0)
        + Payload.Length;

    internal override void WriteBody(ref PacketWriter writer, MqttProtocolVersion version)
    {
        writer.WriteString(Topic);
        if (Qos > 0)
        {
            writer.WriteUInt16(PacketId);
        }

        if (version == MqttProtocolVersion.V500)
        {
            MqttPropertyCodec.Write(ref writer, Properties);
        }

        writer.WriteBytes(Payload.Span);
    }
}
