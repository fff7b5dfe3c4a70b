using Appliance.Mqtt;

namespace Appliance.Gateway.Telemetry;

/// <summary>
/// Publishes telemetry through the MQTT client at the configured QoS. The poll loops do not wait for each
/// PUBACK: up to <see cref="MaxPending"/> messages may be on their way (the client holds them, and re-sends
/// unacknowledged QoS 1 messages after a reconnect); beyond that a poll waits for the oldest, so memory stays
/// bounded while the broker is away. Until the SQLite spool sits in front of the client, messages still
/// pending when the process dies are lost; the spool removes that gap.
/// </summary>
public sealed class MqttSink(MqttClient client, MqttQos qos) : ITelemetrySink
{
    public const int MaxPending = 10_000;

    private readonly Queue<Task<PublishOutcome>> _pending = new();
    private readonly Lock _gate = new();
    private long _delivered;
    private long _failed;

    public long Delivered => Interlocked.Read(ref _delivered);

    public long Failed => Interlocked.Read(ref _failed);

    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count(task => !task.IsCompleted);
            }
        }
    }

    public async ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, bool retain, CancellationToken cancellationToken)
    {
        Task<PublishOutcome> publish = Track(client.PublishAsync(topic, payload, qos, retain, CancellationToken.None).AsTask());
        Task<PublishOutcome>? oldest = null;
        lock (_gate)
        {
            _pending.Enqueue(publish);
            while (_pending.Count > 0 && _pending.Peek().IsCompleted)
            {
                _pending.Dequeue();
            }

            if (_pending.Count > MaxPending)
            {
                oldest = _pending.Dequeue();
            }
        }

        if (oldest is not null)
        {
            await oldest.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<PublishOutcome> Track(Task<PublishOutcome> publish)
    {
        PublishOutcome outcome = await publish.ConfigureAwait(false);
        Interlocked.Increment(ref outcome.Delivered ? ref _delivered : ref _failed);
        return outcome;
    }
}
