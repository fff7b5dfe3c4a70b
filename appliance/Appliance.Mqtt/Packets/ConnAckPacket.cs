namespace Appliance.Mqtt.Packets;

/// <summary>
/// CONNACK, MQTT 5.0 §3.2 and 3.1.1 §3.2:
/// <code>
///   fixed header  0x20, Remaining Length (3.1.1: always 2)
///   offset 0      acknowledge flags: bits 7-1 reserved = 0, bit 0 Session Present (§3.2.2.1)
///          1      Connect Reason Code (5.0 §3.2.2.2) / Connect Return Code 0-5 (3.1.1 §3.2.2.3)
///          2      properties (5.0 only, §3.2.2.3)
/// </code>
/// </summary>
internal sealed class ConnAckPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.ConnAck;

    public bool SessionPresent { get; init; }

    /// <summary>The raw code: a 5.0 reason code, or a 3.1.1 return code (0 to 5).</summary>
    public byte ReasonCode { get; init; }

    public MqttProperties Properties { get; init; } = new();

    internal static ConnAckPacket Read(ref PacketBodyReader body, MqttProtocolVersion version)
    {
        byte flags = body.ReadByte("acknowledge flags");
        if ((flags & 0xFE) != 0)
        {
            MqttProtocolException.ThrowMalformed($"CONNACK: reserved acknowledge flag bits are set (0x{flags:X2}) (MQTT 5.0 §3.2.2.1)");
        }

        byte code = body.ReadByte(version == MqttProtocolVersion.V500 ? "reason code" : "return code");
        bool known = version == MqttProtocolVersion.V500 ? IsV5ReasonCode(code) : code <= 5;
        if (!known)
        {
            MqttProtocolException.ThrowProtocolError($"CONNACK: {(version == MqttProtocolVersion.V500 ? "reason" : "return")} code 0x{code:X2} is not defined (MQTT 5.0 §3.2.2.2, 3.1.1 §3.2.2.3)");
        }

        bool sessionPresent = (flags & 1) != 0;
        if (sessionPresent && code != 0)
        {
            MqttProtocolException.ThrowProtocolError($"CONNACK: Session Present with the refusal 0x{code:X2} (MQTT 5.0 §3.2.2.1.1)");
        }

        MqttProperties properties = version == MqttProtocolVersion.V500
            ? MqttPropertyCodec.Read(ref body, PropertyContext.ConnAck)
            : new MqttProperties();
        body.ExpectEnd();
        return new ConnAckPacket { SessionPresent = sessionPresent, ReasonCode = code, Properties = properties };
    }

    internal override int MeasureBody(MqttProtocolVersion version) =>
        2 + (version == MqttProtocolVersion.V500 ? MqttPropertyCodec.Measure(Properties) : 0);

    internal override void WriteBody(ref PacketWriter writer, MqttProtocolVersion version)
    {
        writer.WriteByte(SessionPresent ? (byte)1 : (byte)0);
        writer.WriteByte(ReasonCode);
        if (version == MqttProtocolVersion.V500)
        {
            MqttPropertyCodec.Write(ref writer, Properties);
        }
    }

    // MQTT 5.0 §3.2.2.2, Table 3-1.
    private static bool IsV5ReasonCode(byte code) => code is 0x00 or (>= 0x80 and <= 0x8A) or 0x8C or 0x90 or 0x95 or 0x97
        or 0x99 or 0x9A or 0x9B or 0x9C or 0x9D or 0x9F;
}
