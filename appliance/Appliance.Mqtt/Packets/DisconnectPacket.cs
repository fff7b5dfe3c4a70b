namespace Appliance.Mqtt.Packets;

/// <summary>
/// DISCONNECT, MQTT 5.0 §3.14 and 3.1.1 §3.14:
/// <code>
///   fixed header  0xE0, Remaining Length (3.1.1: always 0)
///   offset 0      Reason Code (5.0; omitted when 0x00 and there are no properties: Remaining Length 0)
///          1      properties (5.0; omitted when the Remaining Length is less than 2)
/// </code>
/// </summary>
internal sealed class DisconnectPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Disconnect;

    public byte ReasonCode { get; init; }

    public MqttProperties Properties { get; init; } = new MqttProperties();

    internal static DisconnectPacket Read(ref PacketBodyReader body, MqttProtocolVersion version)
    {
        byte code = 0;
        MqttProperties properties = new MqttProperties();
        if (version == MqttProtocolVersion.V500)
        {
            if (!body.End)
            {
                code = body.ReadByte("reason code");
                if (!IsReasonCode(code))
                {
                    MqttProtocolException.ThrowProtocolError($"DISCONNECT: reason code 0x{code:X2} is not defined (MQTT 5.0 §3.14.2.1)");
                }
            }

            if (!body.End)
            {
                properties = MqttPropertyCodec.Read(ref body, PropertyContext.Disconnect);
            }
        }

        body.ExpectEnd();
        return new DisconnectPacket { ReasonCode = code, Properties = properties };
    }

    internal override int MeasureBody(MqttProtocolVersion version)
    {
        if (version != MqttProtocolVersion.V500)
        {
            return 0;
        }

        return MqttPropertyCodec.MeasureContent(Properties) > 0 ? 1 + MqttPropertyCodec.Measure(Properties) : ReasonCode != 0 ? 1 : 0;
    }

    internal override void WriteBody(ref PacketWriter writer, MqttProtocolVersion version)
    {
        int size = MeasureBody(version);
        if (size > 0)
        {
            writer.WriteByte(ReasonCode);
        }

        if (size > 1)
        {
            MqttPropertyCodec.Write(ref writer, Properties);
        }
    }

    // MQTT 5.0 §3.14.2.1, Table 3-10.
    private static bool IsReasonCode(byte code) => code is 0x00 or 0x04 or (>= 0x80 and <= 0x83) or 0x87 or 0x89 or 0x8B
        or (>= 0x8D and <= 0x90) or (>= 0x93 and <= 0xA2);
}
