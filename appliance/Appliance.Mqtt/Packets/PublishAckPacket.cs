namespace Appliance.Mqtt.Packets;

/// <summary>
/// PUBACK (§3.4), PUBREC (§3.5), PUBREL (§3.6) and PUBCOMP (§3.7): the same shape, MQTT 5.0 and 3.1.1:
/// <code>
///   fixed header  0x40 PUBACK | 0x50 PUBREC | 0x62 PUBREL | 0x70 PUBCOMP, Remaining Length (3.1.1: always 2)
///   offset 0      Packet Identifier (2 bytes)
///          2      Reason Code (5.0; omitted when 0x00 and there are no properties: Remaining Length 2)
///          3      properties (5.0; omitted when the Remaining Length is less than 4)
/// </code>
/// </summary>
internal sealed class PublishAckPacket : MqttPacket
{
    private readonly MqttPacketType _type = MqttPacketType.PubAck;

    public override MqttPacketType Type => _type;

    /// <summary>PubAck, PubRec, PubRel or PubComp.</summary>
    public MqttPacketType Kind
    {
        get => _type;
        init => _type = value is MqttPacketType.PubAck or MqttPacketType.PubRec or MqttPacketType.PubRel or MqttPacketType.PubComp
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "a publish acknowledgement is PUBACK, PUBREC, PUBREL or PUBCOMP");
    }

    public ushort PacketId { get; init; }

    public byte ReasonCode { get; init; }

    public MqttProperties Properties { get; init; } = new MqttProperties();

    internal override byte Flags => _type == MqttPacketType.PubRel ? (byte)0x02 : (byte)0;

    internal static PublishAckPacket Read(ref PacketBodyReader body, MqttPacketType type, MqttProtocolVersion version)
    {
        ushort packetId = body.ReadPacketId();
        byte code = 0;
        MqttProperties properties = new MqttProperties();
        if (version == MqttProtocolVersion.V500)
        {
            if (!body.End)
            {
                code = body.ReadByte("reason code");
                if (!IsReasonCode(type, code))
                {
                    MqttProtocolException.ThrowProtocolError($"{PacketBodyReader.Describe(type)}: reason code 0x{code:X2} is not defined for it (MQTT 5.0 §3.4.2.1)");
                }
            }

            if (!body.End)
            {
                properties = MqttPropertyCodec.Read(ref body, PropertyContext.PublishResponse);
            }
        }

        body.ExpectEnd();
        return new PublishAckPacket { Kind = type, PacketId = packetId, ReasonCode = code, Properties = properties };
    }

    internal override int MeasureBody(MqttProtocolVersion version)
    {
        if (version != MqttProtocolVersion.V500)
        {
            return 2;
        }

        int properties = MqttPropertyCodec.MeasureContent(Properties);
        return properties > 0 ? 3 + MqttPropertyCodec.Measure(Properties) : ReasonCode != 0 ? 3 : 2;
    }

    internal override void WriteBody(ref PacketWriter writer, MqttProtocolVersion version)
    {
        writer.WriteUInt16(PacketId);
        int size = MeasureBody(version);
        if (size > 2)
        {
            writer.WriteByte(ReasonCode);
        }

        if (size > 3)
        {
            MqttPropertyCodec.Write(ref writer, Properties);
        }
    }

    // MQTT 5.0 §3.4.2.1 (PUBACK), §3.5.2.1 (PUBREC), §3.6.2.1 (PUBREL), §3.7.2.1 (PUBCOMP).
    private static bool IsReasonCode(MqttPacketType type, byte code) => type is MqttPacketType.PubAck or MqttPacketType.PubRec
        ? code is 0x00 or 0x10 or 0x80 or 0x83 or 0x87 or 0x90 or 0x91 or 0x97 or 0x99
        : code is 0x00 or 0x92;
}
