using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Appliance.Mqtt;

/// <summary>
/// Everything <see cref="MqttClient"/> needs: the broker, the client id and the status topic are required; the
/// other settings have defaults meant for a plant gateway and are there for the daemon and for tests.
/// </summary>
public sealed class MqttClientOptions
{
    /// <summary>Payload of the retained birth message on <see cref="StatusTopic"/>.</summary>
    public const string OnlinePayload = "online";

    /// <summary>Payload of the Last Will (and of the goodbye on a clean stop) on <see cref="StatusTopic"/>.</summary>
    public const string OfflinePayload = "offline";

    public required MqttBrokerEndpoint Broker { get; init; }

    public MqttProtocolVersion Protocol { get; init; } = MqttProtocolVersion.V500;

    public required string ClientId { get; init; }

    /// <summary>User name on line 1, password on line 2; read at every connection attempt. Null for none.</summary>
    public string? CredentialsFile { get; init; }

    /// <summary>Trust and identity, used when <see cref="MqttBrokerEndpoint.UseTls"/> is set.</summary>
    public MqttTlsOptions Tls { get; init; } = MqttTlsOptions.None;

    /// <summary>Retained topic: the Last Will "offline", the birth message "online"; health goes to <see cref="HealthTopic"/>.</summary>
    public required string StatusTopic { get; init; }

    /// <summary>Keep Alive sent in CONNECT (whole seconds, 0 to 65535); a PINGREQ goes out this often. A 5.0 Server Keep Alive overrides it.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait for PINGRESP before the connection is presumed dead; null for half the keep-alive.</summary>
    public TimeSpan? PingTimeout { get; init; }

    /// <summary>Limit for TCP, TLS and CONNACK together.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>QoS 1 publications in flight at once: the window on 3.1.1, and a cap under the broker's 5.0 Receive Maximum.</summary>
    public int MaxInFlight { get; init; } = 100;

    /// <summary>The largest packet accepted from the broker, in bytes; advertised in a 5.0 CONNECT, enforced on both versions before buffering.</summary>
    public int MaximumPacketSize { get; init; } = 1 << 20;

    /// <summary>First reconnect delay after a failure; doubled after each further failure up to <see cref="BackoffMax"/>.</summary>
    public TimeSpan BackoffInitial { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Each delay is varied by up to this fraction either way (0 to 1), so that many gateways do not reconnect in step.</summary>
    public double BackoffJitter { get; init; } = 0.2;

    /// <summary>The least delay after a failure that a retry will not fix (bad credentials, not authorized, unknown CA): no reconnect storm against a broker that refuses us.</summary>
    public TimeSpan RefusedBackoff { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A connection that lasted this long resets the backoff; shorter ones keep doubling it, so a broker that accepts and then breaks cannot cause a reconnect loop.</summary>
    public TimeSpan StableAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the health message is published (retained, on <see cref="HealthTopic"/>); null for never.</summary>
    public TimeSpan? HealthInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Queued and dropped counts of the spool in front of the client, for the health message.</summary>
    public Func<MqttSpoolCounters>? SpoolCounters { get; init; }

    /// <summary>Writes further properties into the health message's object (the gateway adds its voting lanes).</summary>
    public Action<System.Text.Json.Utf8JsonWriter>? HealthDetails { get; init; }

    /// <summary>Called for each message on a subscription, on the receive loop: keep it short.</summary>
    public Func<MqttReceivedMessage, ValueTask>? MessageReceived { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Seed of the jitter; null for a random seed.</summary>
    public int? RandomSeed { get; init; }

    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>Retained health message topic: <see cref="StatusTopic"/> + <c>/health</c>.</summary>
    public string HealthTopic => StatusTopic + "/health";

    internal TimeSpan EffectivePingTimeout(TimeSpan keepAlive) => PingTimeout ?? TimeSpan.FromTicks(Math.Max(keepAlive.Ticks / 2, TimeSpan.TicksPerSecond));

    internal void Validate()
    {
        if (ClientId.Length == 0 && Protocol == MqttProtocolVersion.V311)
        {
            throw new ArgumentException("an empty client id needs MQTT 5.0 (the broker assigns one); 3.1.1 with clean start accepts it but the gateway needs a stable id", nameof(ClientId));
        }

        Require(KeepAlive >= TimeSpan.Zero && KeepAlive.TotalSeconds <= ushort.MaxValue, nameof(KeepAlive), "must be 0 to 65535 seconds");
        Require(PingTimeout is null || PingTimeout > TimeSpan.Zero, nameof(PingTimeout), "must be positive");
        Require(ConnectTimeout > TimeSpan.Zero, nameof(ConnectTimeout), "must be positive");
        Require(MaxInFlight is >= 1 and <= ushort.MaxValue, nameof(MaxInFlight), "must be 1 to 65535");
        Require(MaximumPacketSize >= 128, nameof(MaximumPacketSize), "must be at least 128 bytes");
        Require(BackoffInitial > TimeSpan.Zero && BackoffMax >= BackoffInitial, nameof(BackoffInitial), "must be positive and at most BackoffMax");
        Require(BackoffJitter is >= 0 and <= 1, nameof(BackoffJitter), "must be 0 to 1");
        Require(RefusedBackoff > TimeSpan.Zero, nameof(RefusedBackoff), "must be positive");
        Require(HealthInterval is null || HealthInterval > TimeSpan.Zero, nameof(HealthInterval), "must be positive");
        if (MqttText.ProblemWithTopicName(StatusTopic) is { } problem)
        {
            throw new ArgumentException($"status topic {problem}", nameof(StatusTopic));
        }
    }

    private static void Require(bool condition, string name, string rule)
    {
        if (!condition)
        {
            throw new ArgumentOutOfRangeException(name, $"{name} {rule}");
        }
    }
}
