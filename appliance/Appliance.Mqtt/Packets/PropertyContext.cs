namespace Appliance.Mqtt.Packets;

/// <summary>Where a property list sits; each property is allowed in some of these only (MQTT 5.0 §2.2.2.2, Table 2-4).</summary>
[Flags]
internal enum PropertyContext
{
    None = 0,
    Connect = 1 << 0,
    Will = 1 << 1,
    ConnAck = 1 << 2,
    Publish = 1 << 3,

    /// <summary>PUBACK, PUBREC, PUBREL and PUBCOMP.</summary>
    PublishResponse = 1 << 4,
    Subscribe = 1 << 5,
    SubAck = 1 << 6,
    Unsubscribe = 1 << 7,
    UnsubAck = 1 << 8,
    Disconnect = 1 << 9,
    Auth = 1 << 10,
    All = (1 << 11) - 1,
}
