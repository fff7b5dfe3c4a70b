using Appliance.Gateway.Supervision;
using Appliance.Mqtt;
using Appliance.Mqtt.Spool;

namespace Appliance.Gateway.Telemetry;

/// <summary>
/// Telemetry into the store-and-forward spool: <see cref="PublishAsync"/> returns once the message is committed to
/// SQLite together with its sequence number, never waiting for the broker. A <see cref="SpoolPump"/> publishes the
/// spool through the MQTT client and deletes each message after its PUBACK (QoS 1) or once written (QoS 0).
/// </summary>
public sealed class SpoolSink(Spool spool, MqttQos qos) : ITelemetrySink
{
    public long NextSequence(string stream) => spool.NextSequence(stream);

    /// <exception cref="UnrecoverableFaultException">The spool was closed while the gateway runs: nothing can be stored any more.</exception>
    public async ValueTask PublishAsync(TelemetryMessage message, CancellationToken cancellationToken)
    {
        SequenceStamp? stamp = message.Stream is string stream ? new SequenceStamp(stream, message.Sequence) : null;
        Task<long> committed;
        try
        {
            committed = spool.EnqueueAsync(message.Topic, message.Payload, qos, message.Retain, stamp);
        }
        catch (ObjectDisposedException closed)
        {
            throw new UnrecoverableFaultException($"the spool {spool.Path} was closed while the gateway was running", closed);
        }

        // Not abandoned on cancellation: the commit finishes (or fails) within milliseconds either way, and a stop that
        // waits for it knows for certain whether the message and its number are in the spool.
        await committed.ConfigureAwait(false);
    }
}
