namespace Appliance.Mqtt.Packets;

/// <summary>PINGREQ, MQTT 5.0 §3.12: <c>C0 00</c>, no variable header, no payload.</summary>
internal sealed class PingReqPacket : MqttPacket
{
    public static PingReqPacket Instance { get; } = new();

    public override MqttPacketType Type => MqttPacketType.PingReq;

    internal override int MeasureBody(MqttProtocolVersion version) => 0;

    internal override void WriteBody(ref PacketWriter writer, MqttProtocolVersion version)
    {
    }
}
