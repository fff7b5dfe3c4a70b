namespace Appliance.Mqtt;

/// <summary>Where the client is in its connect, run, reconnect cycle.</summary>
public enum MqttConnectionState
{
    /// <summary>Created; <see cref="MqttClient.RunAsync"/> has not been called.</summary>
    Idle,

    /// <summary>Opening TCP, TLS, and waiting for CONNACK.</summary>
    Connecting,

    /// <summary>CONNACK accepted; publishing.</summary>
    Connected,

    /// <summary>The last attempt failed or the connection dropped; waiting for the backoff delay.</summary>
    WaitingToReconnect,

    /// <summary>Run ended; publications are refused with <see cref="PublishStatus.Stopped"/>.</summary>
    Stopped,
}
