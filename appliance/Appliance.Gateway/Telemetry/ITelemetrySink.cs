namespace Appliance.Gateway.Telemetry;

/// <summary>Where telemetry goes (the spool, or the console), and where its sequence numbers are kept.</summary>
public interface ITelemetrySink
{
    /// <summary>
    /// The number the next message of <paramref name="stream"/> carries: one more than the last message of the stream
    /// the sink took responsibility for. A message that was refused does not use up its number.
    /// </summary>
    long NextSequence(string stream);

    /// <summary>Hands one message over; returns once the sink has taken responsibility for it (for the spool: committed, with its number).</summary>
    ValueTask PublishAsync(TelemetryMessage message, CancellationToken cancellationToken);
}
