using Microsoft.Extensions.Logging;

namespace Appliance.Mqtt;

/// <summary>What the spool pump needs of an MQTT client: its status, and publishing with an outcome.</summary>
public interface IMqttPublisher
{
    /// <summary>Raised after the state changes; may be raised on any thread.</summary>
    event Action<MqttClientStatus>? StatusChanged;

    MqttClientStatus Status { get; }

    ILogger Logger { get; }

    /// <summary>Publishes with MQTT 5.0 User Properties (ignored on 3.1.1); completes when written (QoS 0) or acknowledged (QoS 1).</summary>
    ValueTask<PublishOutcome> PublishAsync(
        string topic, ReadOnlyMemory<byte> payload, MqttQos qos, bool retain, IReadOnlyList<MqttUserProperty> userProperties, CancellationToken cancellationToken = default);
}
