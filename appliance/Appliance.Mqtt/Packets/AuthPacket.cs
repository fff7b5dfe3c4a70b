namespace Appliance.Mqtt.Packets;

/// <summary>
/// AUTH, MQTT 5.0 §3.15 (5.0 only; packet type 15 is reserved in 3.1.1):
/// <code>
///   fixed header  0xF0, Remaining Length
///   offset 0      Reason Code: 0x00 success, 0x18 continue, 0x19 re-authenticate (omitted when 0x00 and no properties)
///          1      properties (omitted when the Remaining Length is less than 2)
/// </code>
/// The client never sends an Authentication Method, so a broker's AUTH is refused (§4.12).
/// </summary>
internal sealed class AuthPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Auth;

    public byte ReasonCode { get; init; }

    public MqttProperties Properties { get; init; } = new MqttProperties();

    internal static AuthPacket Read(ref PacketBodyReader body)
    {
        byte code = 0;
        MqttProperties properties = new MqttProperties();
        if (!body.End)
        {
            code = body.ReadByte("reason code");
            if (code is not (0x00 or 0x18 or 0x19))
            {
                MqttProtocolException.ThrowProtocolError($"AUTH: reason code 0x{code:X2} is not defined (MQTT 5.0 §3.15.2.1)");
            }
        }

        if (!body.End)
        {
            properties = MqttPropertyCodec.Read(ref body, PropertyContext.Auth);
        }

        body.ExpectEnd();
        return new AuthPacket { ReasonCode = code, Properties = properties };
    }

    internal override int MeasureBody(MqttProtocolVersion version) =>
        MqttPropertyCodec.MeasureContent(Properties) > 0 ? 1 + MqttPropertyCodec.Measure(Properties) : ReasonCode != 0 ? 1 : 0;

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
}
