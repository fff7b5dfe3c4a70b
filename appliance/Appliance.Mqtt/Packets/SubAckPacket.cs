namespace Appliance.Mqtt.Packets;

/// <summary>
/// SUBACK, MQTT 5.0 §3.9 and 3.1.1 §3.9:
/// <code>
///   fixed header  0x90, Remaining Length
///   offset 0      Packet Identifier (2 bytes)
///          2      properties (5.0 only, §3.9.2.1)
///   payload       one Reason Code per Topic Filter of the SUBSCRIBE, in order; at least one (§3.9.3)
/// </code>
/// Whether the count matches the SUBSCRIBE is checked by the client, which knows the SUBSCRIBE.
/// </summary>
internal sealed class SubAckPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.SubAck;

    public ushort PacketId { get; init; }

    public MqttProperties Properties { get; init; } = new MqttProperties();

    public required IReadOnlyList<byte> ReasonCodes { get; init; }

    internal static SubAckPacket Read(ref PacketBodyReader body, MqttProtocolVersion version)
    {
        bool v5 = version == MqttProtocolVersion.V500;
        ushort packetId = body.ReadPacketId();
        MqttProperties properties = v5 ? MqttPropertyCodec.Read(ref body, PropertyContext.SubAck) : new MqttProperties();
        var codes = new List<byte>((int)Math.Min(body.Remaining, 64));
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

            codes.Add(code);
        }

        if (codes.Count == 0)
        {
            MqttProtocolException.ThrowProtocolError("SUBACK: no reason codes; it must carry one per topic filter of the SUBSCRIBE (MQTT 5.0 §3.9.3)");
        }

        return new SubAckPacket { PacketId = packetId, Properties = properties, ReasonCodes = codes };
    }

    internal override int MeasureBody(MqttProtocolVersion version) =>
        2 + (version == MqttProtocolVersion.V500 ? MqttPropertyCodec.Measure(Properties) : 0) + ReasonCodes.Count;

    internal override void WriteBody(ref PacketWriter writer, MqttProtocolVersion version)
    {
        writer.WriteUInt16(PacketId);
        if (version == MqttProtocolVersion.V500)
        {
            MqttPropertyCodec.Write(ref writer, Properties);
        }

        foreach (byte code in ReasonCodes)
        {
            writer.WriteByte(code);
        }
    }
}
