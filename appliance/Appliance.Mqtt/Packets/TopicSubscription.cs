namespace Appliance.Mqtt.Packets;

/// <summary>One topic filter of a SUBSCRIBE and its Subscription Options (MQTT 5.0 §3.8.3.1).</summary>
internal readonly record struct TopicSubscription(string Filter, byte MaximumQos, bool NoLocal = false, bool RetainAsPublished = false, byte RetainHandling = 0);
