namespace Appliance.Mqtt.Packets;

/// <summary>The Will Message of a CONNECT (MQTT 5.0 §3.1.2.5, §3.1.3.2 to §3.1.3.4).</summary>
internal sealed class MqttWill
{
    public required string Topic { get; init; }

    public byte[] Payload { get; init; } = [];

    public byte Qos { get; init; }

    public bool Retain { get; init; }

    /// <summary>Will Properties; MQTT 5.0 only.</summary>
    public MqttProperties Properties { get; init; } = new();
}
