namespace Appliance.Mqtt.Packets;

/// <summary>
/// SUBSCRIBE, MQTT 5.0 §3.8 and 3.1.1 §3.8:
/// <code>
///   fixed header  0x82 (flags 0010, §3.8.1), Remaining Length
///   offset 0      Packet Identifier (2 bytes)
///          2      properties (5.0 only, §3.8.2.1)
///   payload       (Topic Filter: UTF-8 string, Subscription Options: 1 byte)+, at least one (§3.8.3)
///                 options 5.0: bits 7-6 reserved = 0 | 5-4 Retain Handling (0-2) | 3 Retain As Published | 2 No Local | 1-0 QoS
///                 options 3.1.1: bits 7-2 reserved = 0 | 1-0 QoS
/// </code>
/// </summary>
internal sealed class SubscribePacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Subscribe;

    public ushort PacketId { get; init; }

    public MqttProperties Properties { get; init; } = new MqttProperties();

    public required IReadOnlyList<TopicSubscription> Subscriptions { get; init; }

    internal override byte Flags => 0x02;

    internal static SubscribePacket Read(ref PacketBodyReader body, MqttProtocolVersion version)
    {
        bool v5 = version == MqttProtocolVersion.V500;
        ushort packetId = body.ReadPacketId();
        MqttProperties properties = v5 ? MqttPropertyCodec.Read(ref body, PropertyContext.Subscribe) : new MqttProperties();
        var subscriptions = new List<TopicSubscription>();
        while (!body.End)
        {
            string filter = body.ReadString("topic filter");
            MqttTopic.CheckFilter(filter, "SUBSCRIBE: topic filter");
            byte options = body.ReadByte("subscription options");
            if ((options & (v5 ? 0xC0 : 0xFC)) != 0)
            {
                MqttProtocolException.ThrowMalformed($"SUBSCRIBE: reserved bits of the subscription options are set (0x{options:X2}) (MQTT 5.0 §3.8.3.1)");
            }

            byte qos = (byte)(options & 0x03);
            byte retainHandling = (byte)((options >> 4) & 0x03);
            if (qos == 3)
            {
                MqttProtocolException.ThrowMalformed("SUBSCRIBE: maximum QoS 3 is not allowed (MQTT 5.0 §3.8.3.1)");
            }

            if (retainHandling == 3)
            {
                MqttProtocolException.ThrowProtocolError("SUBSCRIBE: Retain Handling 3 is not allowed (MQTT 5.0 §3.8.3.1)");
            }

            subscriptions.Add(new TopicSubscription(filter, qos, (options & 0x04) != 0, (options & 0x08) != 0, retainHandling));
        }

        if (subscriptions.Count == 0)
        {
            MqttProtocolException.ThrowProtocolError("SUBSCRIBE: no topic filter (MQTT 5.0 §3.8.3)");
        }

        return new SubscribePacket { PacketId = packetId, Properties = properties, Subscriptions = subscriptions };
    }

    internal override int MeasureBody(MqttProtocolVersion version)
    {
        int size = 2 + (version == MqttProtocolVersion.V500 ? MqttPropertyCodec.Measure(Properties) : 0);
        foreach (TopicSubscription subscription in Subscriptions)
        {
            size += PacketWriter.MeasureString(subscription.Filter, "topic filter") + 1;
        }

        return size;
    }

    internal override void WriteBody(ref PacketWriter writer, MqttProtocolVersion version)
    {
        writer.WriteUInt16(PacketId);
        bool v5 = version == MqttProtocolVersion.V500;
        if (v5)
        {
            MqttPropertyCodec.Write(ref writer, Properties);
        }

        foreach (TopicSubscription s in Subscriptions)
        {
            writer.WriteString(s.Filter);
            int options = s.MaximumQos;
            if (v5)
            {
                options |= (s.NoLocal ? 0x04 : 0) | (s.RetainAsPublished ? 0x08 : 0) | (s.RetainHandling << 4);
            }

            writer.WriteByte((byte)options);
        }
    }
}
