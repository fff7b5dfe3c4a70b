namespace Appliance.Mqtt.Packets;

/// <summary>A parsed fixed header (MQTT 5.0 §2.1.1): type, flags, Remaining Length, and its own size (2 to 5 bytes).</summary>
internal readonly record struct FixedHeader(MqttPacketType Type, byte Flags, int RemainingLength, int HeaderLength)
{
    /// <summary>Bytes of the whole packet, fixed header included: what MQTT 5.0 Maximum Packet Size limits (§3.1.2.11.4).</summary>
    public int TotalLength => HeaderLength + RemainingLength;
}
