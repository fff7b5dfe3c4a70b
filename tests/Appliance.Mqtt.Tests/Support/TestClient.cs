namespace Appliance.Mqtt.Tests.Support;

/// <summary>Client options for tests: a loopback broker, a manual clock, no jitter, no periodic health unless asked.</summary>
internal static class TestClient
{
    public const int MaximumPacketSize = 64 * 1024;
    public const string StatusTopic = "appliance/test-gw/status";

    public static MqttClientOptions Options(
        int port,
        MqttProtocolVersion version,
        TimeProvider time,
        string clientId = "test-gw",
        bool tls = false,
        MqttTlsOptions? tlsConfig = null,
        string? credentialsFile = null,
        TimeSpan? health = null,
        TimeSpan? backoffInitial = null,
        TimeSpan? refusedBackoff = null,
        int maxInFlight = 100,
        Func<MqttReceivedMessage, ValueTask>? received = null,
        Action<System.Text.Json.Utf8JsonWriter>? healthDetails = null) => new()
    {
        Broker = new MqttBrokerEndpoint(tls, "127.0.0.1", port),
        Protocol = version,
        ClientId = clientId,
        StatusTopic = StatusTopic.Replace("test-gw", clientId, StringComparison.Ordinal),
        Tls = tlsConfig ?? MqttTlsOptions.None,
        CredentialsFile = credentialsFile,
        KeepAlive = TimeSpan.FromSeconds(30),
        PingTimeout = TimeSpan.FromSeconds(10),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        MaximumPacketSize = MaximumPacketSize,
        MaxInFlight = maxInFlight,
        BackoffInitial = backoffInitial ?? TimeSpan.FromSeconds(1),
        BackoffMax = TimeSpan.FromSeconds(8),
        BackoffJitter = 0,
        RefusedBackoff = refusedBackoff ?? TimeSpan.FromMinutes(5),
        RandomSeed = 7,
        HealthInterval = health,
        TimeProvider = time,
        MessageReceived = received,
        HealthDetails = healthDetails,
    };
}
