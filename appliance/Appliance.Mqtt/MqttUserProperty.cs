namespace Appliance.Mqtt;

/// <summary>An MQTT 5.0 User Property: a UTF-8 name and value pair (§3.3.2.3.7). Ignored on MQTT 3.1.1.</summary>
public readonly record struct MqttUserProperty(string Name, string Value);
