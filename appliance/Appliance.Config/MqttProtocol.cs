namespace Appliance.Config;

/// <summary><c>[mqtt] protocol</c>: the MQTT version the gateway speaks to the broker.</summary>
public enum MqttProtocol
{
    /// <summary><c>"3.1.1"</c>: MQTT 3.1.1.</summary>
    V311,

    /// <summary><c>"5"</c>: MQTT 5.0 (the default).</summary>
    V500,
}
