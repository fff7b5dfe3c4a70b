namespace Appliance.Mqtt.Packets;

/// <summary>What the reader needs to know about a connection: the protocol version and the largest packet it accepts, in bytes, fixed header included.</summary>
internal readonly record struct MqttCodecSettings(MqttProtocolVersion Version, int MaximumPacketSize)
{
    /// <summary>The largest Remaining Length a Variable Byte Integer can carry (MQTT 5.0 §1.5.5): 256 MB.</summary>
    public const int MaxRemainingLength = 268_435_455;
}
