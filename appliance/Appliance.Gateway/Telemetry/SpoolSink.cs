using Appliance.Mqtt;
using Appliance.Mqtt.Spool;

namespace Appliance.Gateway.Telemetry;

/// <summary>
/// Telemetry into the store-and-forward spool: <see cref="PublishAsync"/> returns once the message is committed to
/// SQLite, never waiting for the broker. A <see cref="SpoolPump"/> publishes the spool through the MQTT client and
/// deletes each message after its PUBACK (QoS 1) or once written (QoS 0).
/// </summary>
public sealed class SpoolSink(Spool spool, MqttQos qos) : ITelemetrySink
{
    public async ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, bool retain, CancellationToken cancellationToken)
    {
        await spool.EnqueueAsync(topic, payload, qos, retain).WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
