namespace Appliance.Mqtt.Packets;

/// <summary>
/// UNSUBSCRIBE, MQTT 5.0 §3.10 and 3.1.1 §3.10:
/// <code>
///   fixed header  0xA2 (flags 0010, §3.10.1), Remaining Length
///   offset 0      Packet Identifier (2 bytes)
///          2      properties (5.0 only, §3.10.2.1)
///   payload       Topic Filter (UTF-8 string)+, at least one (§3.10.3)
/// </code>
/// </summary>
internal sealed class UnsubscribePacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Unsubscribe;

    public ushort PacketId { get; init; }

    public MqttProperties Properties { get; init; } = new MqttProperties();

    public required IReadOnlyList<string> Filters { get; init; }

    internal override byte Flags => 0x02;

    internal static UnsubscribePacket Read(ref PacketBodyReader body, MqttProtocolVersion version)
    {
        ushort packetId = body.ReadPacketId();
        MqttProperties properties = version == MqttProtocolVersion.V500 ? MqttPropertyCodec.Read(ref body, PropertyContext.Unsubscribe) : new MqttProperties();
        var filters = new List<string>();
        while (!body.End)
        {
            string filter = body.ReadString("topic filter");
            MqttTopic.CheckFilter(filter, "UNSUBSCRIBE: topic filter");
            filters.Add(filter);
        }

        if (filters.Count == 0)
        {
            MqttProtocolException.ThrowProtocolError("UNSUBSCRIBE: no topic filter (MQTT 5.0 §3.10.3)");
        }

        return new UnsubscribePacket { PacketId = packetId, Properties = properties, Filters = filters };
    }

    internal override int MeasureBody(MqttProtocolVersion version)
    {
        int size = 2 + (version == MqttProtocolVersion.V500 ? MqttPropertyCodec.Measure(Properties) : 0);
        foreach (string filter in Filters)
        {
            size += PacketWriter.MeasureString(filter, "topic filter");
        }

        return size;
    }

    internal override void WriteBody(ref PacketWriter writer, MqttProtocolVersion version)
    {
        writer.WriteUInt16(PacketId);
        if (version == MqttProtocolVersion.V500)
        {
            MqttPropertyCodec.Write(ref writer, Properties);
        }

        foreach (string filter in Filters)
        {
            writer.WriteString(filter);
        }
    }
}
