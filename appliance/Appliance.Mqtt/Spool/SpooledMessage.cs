namespace Appliance.Mqtt.Spool;

/// <summary>One committed message, as read back for publishing.</summary>
/// <param name="Id">Autoincrement id: the spool's order, never reused.</param>
/// <param name="Topic">MQTT topic name.</param>
/// <param name="Payload">Payload bytes.</param>
/// <param name="Qos">QoS to publish with.</param>
/// <param name="Retain">Retain flag.</param>
/// <param name="EnqueuedAt">When it was committed.</param>
public sealed record SpooledMessage(long Id, string Topic, byte[] Payload, MqttQos Qos, bool Retain, DateTimeOffset EnqueuedAt);
