namespace Appliance.Mqtt;

/// <summary>A topic filter to subscribe to and the highest QoS to receive on it. The client renews its subscriptions after every reconnect.</summary>
public readonly record struct MqttSubscription(string TopicFilter, MqttQos MaximumQos = MqttQos.AtLeastOnce);
