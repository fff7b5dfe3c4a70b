namespace Appliance.Gateway.Telemetry;

/// <summary>
/// A sink in front of the real one that remembers, per numbered stream (<c>device/group</c>, the board's sensors, each
/// driver), the last message the real sink took responsibility for: what the console shows as live values. A message
/// the real sink refused is not remembered. Bounded: at most <see cref="MaxStreams"/> streams (the configuration names
/// far fewer), the payloads as the gateway made them (a group's message is bounded by its 2,048 tags).
/// </summary>
public sealed class LatestTelemetry(ITelemetrySink inner) : ITelemetrySink
{
    public const int MaxStreams = 256;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (string Topic, byte[] Payload)> _latest = new(StringComparer.Ordinal);

    public long NextSequence(string stream) => inner.NextSequence(stream);

    public async ValueTask PublishAsync(TelemetryMessage message, CancellationToken cancellationToken)
    {
        await inner.PublishAsync(message, cancellationToken).ConfigureAwait(false);
        if (message.Stream is not string stream)
        {
            return; // the retained status: the control channel has it first hand
        }

        byte[] payload = message.Payload.ToArray();
        lock (_gate)
        {
            if (_latest.Count < MaxStreams || _latest.ContainsKey(stream))
            {
                _latest[stream] = (message.Topic, payload);
            }
        }
    }

    /// <summary>The last stored message of every stream, by stream name in ordinal order.</summary>
    public IReadOnlyList<(string Stream, string Topic, byte[] Payload)> Snapshot()
    {
        lock (_gate)
        {
            return [.. _latest.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => (pair.Key, pair.Value.Topic, pair.Value.Payload))];
        }
    }
}
