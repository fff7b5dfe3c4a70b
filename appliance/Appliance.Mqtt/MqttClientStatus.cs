namespace Appliance.Mqtt;

/// <summary>A snapshot of the client, for health reports, the console and tests.</summary>
/// <param name="State">Connect cycle state.</param>
/// <param name="LastError">The most recent failure, or null; it stays after a successful reconnect.</param>
/// <param name="ConnectAttempts">TCP connection attempts since the client started.</param>
/// <param name="Connections">Connections that reached an accepted CONNACK.</param>
/// <param name="Published">QoS 0 publications written plus QoS 1 publications acknowledged with success.</param>
/// <param name="Refused">Publications the broker refused (MQTT 5.0 PUBACK reason ≥ 0x80).</param>
/// <param name="Queued">Publications waiting to be sent, unacknowledged ones from a lost connection included.</param>
/// <param name="InFlight">QoS 1 publications sent and not yet acknowledged.</param>
/// <param name="RetryAt">When the next connection attempt is due, while <see cref="MqttConnectionState.WaitingToReconnect"/>.</param>
/// <param name="RetryDelay">The delay that led to <paramref name="RetryAt"/>.</param>
public sealed record MqttClientStatus(
    MqttConnectionState State,
    MqttError? LastError,
    long ConnectAttempts,
    long Connections,
    long Published,
    long Refused,
    int Queued,
    int InFlight,
    DateTimeOffset? RetryAt,
    TimeSpan? RetryDelay)
{
    /// <summary>Connections after the first one.</summary>
    public long Reconnects => Math.Max(0, Connections - 1);

    public bool IsConnected => State == MqttConnectionState.Connected;
}
