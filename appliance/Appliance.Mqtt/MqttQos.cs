namespace Appliance.Mqtt;

/// <summary>Quality of service of a publication (MQTT 5.0 §4.3). QoS 2 is not offered: the spool gives exactly-once per <c>seq</c> downstream.</summary>
public enum MqttQos : byte
{
    /// <summary>QoS 0: sent once, never acknowledged; lost if the connection drops.</summary>
    AtMostOnce = 0,

    /// <summary>QoS 1: kept until the broker's PUBACK, re-sent (with DUP) after a reconnect.</summary>
    AtLeastOnce = 1,
}
