namespace Appliance.Mqtt.Packets;

/// <summary>
/// One MQTT control packet. Each subclass holds its fields and, beside its wire diagram, the code that
/// reads its body (<c>Read</c>) and writes it (<see cref="WriteBody"/>); the fixed header is read and
/// written once, in <see cref="MqttPacketReader"/> and <see cref="MqttPacketWriter"/>.
/// </summary>
internal abstract class MqttPacket
{
    public abstract MqttPacketType Type { get; }

    /// <summary>The low nibble of the fixed header (MQTT 5.0 §2.1.3).</summary>
    internal virtual byte Flags => 0;

    /// <summary>Bytes after the Remaining Length: variable header and payload.</summary>
    internal abstract int MeasureBody(MqttProtocolVersion version);

    internal abstract void WriteBody(ref PacketWriter writer, MqttProtocolVersion version);
}
