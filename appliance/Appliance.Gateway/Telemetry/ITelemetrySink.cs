namespace Appliance.Gateway.Telemetry;

/// <summary>Where telemetry goes: the console, or the MQTT client (through the spool once it lands).</summary>
public interface ITelemetrySink
{
    /// <summary>Hands one message over; returns once the sink has taken responsibility for it.</summary>
    ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, bool retain, CancellationToken cancellationToken);
}
