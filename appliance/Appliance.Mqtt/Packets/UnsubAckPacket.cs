namespace Appliance.Mqtt.Packets;

/// <summary>
/// UNSUBACK, MQTT 5.0 §3.11 and 3.1.1 §3.11:
/// <code>
///   fixed header  0xB0, Remaining Length (3.1.1: always 2)
///   offset 0      Packet Identifier (2 bytes)
///          2      properties (5.0 only, §3.11.2.1)
///   payload       5.0: one Reason Code per Topic Filter of the UNSUBSCRIBE, at least one (§3.11.3); 3.1.1: none
/// </code>
/// </summary>
internal sealed class UnsubAckPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.UnsubAck;

    public ushort PacketId { get; init; }

    public MqttProperties Properties { get; init; } = new MqttProperties();

    /// <summary>Empty on 3.1.1.</summary>
    public IReadOnlyList<byte> ReasonCodes { get; init; } = [];

    internal static UnsubAckPacket Read(ref PacketBodyReader body, MqttProtocolVersion version)
    {
        ushort packetId = body.ReadPacketId();
        if (version != MqttProtocolVersion.V500)
        {
            body.ExpectEnd();
            return new UnsubAckPacket { PacketId = packetId };
        }

        MqttProperties properties = MqttPropertyCodec.Read(ref body, PropertyContext.UnsubAck);
        var codes = new List<byte>((int)Math.Min(body.Remaining, 64));
        while (!body.End)
        {
            byte code = body.ReadByte("reason code");
            if (code is not (0x00 or 0x11 or 0x80 or 0x83 or 0x87 or 0x8F or 0x91))
            {
                MqttProtocolException.ThrowProtocolError($"UNSUBACK: reason code 0x{code:X2} is not defined (MQTT 5.0 §3.11.3)");
            }

            codes.Add(code);
        }

        if (codes.Count == 0)
        {
            MqttProtocolException.ThrowProtocolError("UNSUBACK: no reason codes; it must carry one per topic filter of the UNSUBSCRIBE (MQTT 5.0 §3.11.3)");
        }

        return new UnsubAckPacket { PacketId = packetId, Properties = properties, ReasonCodes = codes };
    }

    internal override int MeasureBody(MqttProtocolVersion version) =>
        version == MqttProtocolVersion.V500 ? 2 + MqttPropertyCodec.Measure(Properties) + ReasonCodes.Count : 2;

    internal override void WriteBody(ref PacketWriter writer, MqttProtocolVersion version)
    {
        writer.WriteUInt16(PacketId);
        if (version == MqttProtocolVersion.V500)
        {
            MqttPropertyCodec.Write(ref writer, Properties);
            foreach (byte code in ReasonCodes)
            {
                writer.WriteByte(code);
            }
        }
    }
}
