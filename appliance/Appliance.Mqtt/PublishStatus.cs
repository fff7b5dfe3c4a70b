namespace Appliance.Mqtt;

/// <summary>How a publication ended.</summary>
public enum PublishStatus
{
    /// <summary>QoS 0: written to the connection. Nothing more is known.</summary>
    Written,

    /// <summary>QoS 1: the broker's PUBACK accepted it (reason 0x00, or 0x10 No matching subscribers).</summary>
    Acknowledged,

    /// <summary>The broker refused it: MQTT 5.0 PUBACK reason ≥ 0x80 (0x87 Not authorized is an ACL refusal), or the broker said in CONNACK that it does not accept this QoS or retain. Re-sending will not help.</summary>
    Refused,

    /// <summary>Larger than the broker's Maximum Packet Size (MQTT 5.0 CONNACK); never sent.</summary>
    TooLarge,

    /// <summary>The client stopped before the publication completed; a QoS 1 message may or may not have reached the broker.</summary>
    Stopped,
}
