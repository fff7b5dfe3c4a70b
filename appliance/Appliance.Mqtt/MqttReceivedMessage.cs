namespace Appliance.Mqtt;

/// <summary>A PUBLISH the broker delivered on a subscription.</summary>
public sealed record MqttReceivedMessage(string Topic, ReadOnlyMemory<byte> Payload, MqttQos Qos, bool Retain, bool Duplicate, IReadOnlyList<MqttUserProperty> UserProperties);
