using Appliance.Config;
using Appliance.Mqtt;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Appliance.Gateway.Composition;

/// <summary>The <c>[mqtt]</c> section as <see cref="Appliance.Mqtt"/>'s own options.</summary>
public static class MqttOptionsMapping
{
    /// <summary>
    /// The client options for the <c>[mqtt]</c> section; <paramref name="nodeId"/> fills any <c>{node}</c>
    /// placeholder still in the client id or status topic. The other options keep the client's defaults.
    /// </summary>
    public static MqttClientOptions Client(
        MqttConfig config,
        string nodeId,
        ILogger? logger = null,
        TimeProvider? timeProvider = null,
        Func<MqttSpoolCounters>? spoolCounters = null,
        Func<MqttReceivedMessage, ValueTask>? messageReceived = null,
        Action<System.Text.Json.Utf8JsonWriter>? healthDetails = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(nodeId);
        return new MqttClientOptions
        {
            Broker = Broker(config.Broker),
            Protocol = Protocol(config.Protocol),
            ClientId = config.ClientId.Replace("{node}", nodeId, StringComparison.Ordinal),
            CredentialsFile = config.CredentialsFile,
            Tls = Tls(config.Tls),
            StatusTopic = config.StatusTopic.Replace("{node}", nodeId, StringComparison.Ordinal),
            KeepAlive = config.KeepAlive,
            BackoffInitial = config.ReconnectInitial,
            BackoffMax = config.ReconnectMax,
            Logger = logger ?? NullLogger.Instance,
            TimeProvider = timeProvider ?? TimeProvider.System,
            SpoolCounters = spoolCounters,
            MessageReceived = messageReceived,
            HealthDetails = healthDetails,
        };
    }

    /// <summary>The broker's host, port and whether to use TLS (<c>mqtts://</c>).</summary>
    public static MqttBrokerEndpoint Broker(BrokerAddress broker)
    {
        ArgumentNullException.ThrowIfNull(broker);
        return new MqttBrokerEndpoint(broker.UseTls, broker.Host, broker.Port);
    }

    /// <summary><c>protocol = "3.1.1"</c> is protocol level 4, <c>"5"</c> level 5.</summary>
    public static MqttProtocolVersion Protocol(MqttProtocol protocol) => protocol switch
    {
        MqttProtocol.V311 => MqttProtocolVersion.V311,
        MqttProtocol.V500 => MqttProtocolVersion.V500,
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "not an MQTT version the configuration binds"),
    };

    /// <summary>The <c>[mqtt.tls]</c> section.</summary>
    public static MqttTlsOptions Tls(MqttTlsConfig tls)
    {
        ArgumentNullException.ThrowIfNull(tls);
        return new MqttTlsOptions(tls.CaFile, tls.CertFile, tls.KeyFile, tls.ServerName);
    }
}
