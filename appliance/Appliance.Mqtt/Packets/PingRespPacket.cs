namespace Appliance.Mqtt.Packets;

/// <summary>PINGRESP, MQTT 5.0 §3.13: <c>D0 00</c>, no variable header, no payload.</summary>
internal sealed class PingRespPacket : MqttPacket
{
    public static PingRespPacket Instance { get; } = new();

    public override MqttPacketType Type => MqttPacketType.PingResp;

    internal override int MeasureBody(MqttProtocolVersion version) => 0;

    internal override void WriteBody(ref PacketWriter writer, MqttProtocolVersion version)
    {
    }
}
