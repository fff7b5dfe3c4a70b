namespace Appliance.Config;

/// <summary>MQTT protocol versions the client speaks.</summary>
public enum MqttProtocolVersion
{
    /// <summary>MQTT 3.1.1 (protocol level 4).</summary>
    V311 = 4,

    /// <summary>MQTT 5.0 (protocol level 5).</summary>
    V500 = 5,
}
