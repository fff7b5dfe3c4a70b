namespace Appliance.Gateway.Telemetry;

/// <summary>One message for a sink.</summary>
/// <param name="Topic">MQTT topic.</param>
/// <param name="Payload">The bytes to publish; the sink copies what it keeps.</param>
/// <param name="Retain">Whether the broker keeps it as the topic's last message.</param>
/// <param name="Stream">The numbered stream the message belongs to (<c>device/group</c>), or null for an unnumbered one (status).</param>
/// <param name="Sequence">Its number in <paramref name="Stream"/>, from <see cref="ITelemetrySink.NextSequence"/>; 0 when unnumbered.</param>
public readonly record struct TelemetryMessage(string Topic, ReadOnlyMemory<byte> Payload, bool Retain, string? Stream, long Sequence)
{
    /// <summary>A message outside any numbered stream.</summary>
    public static TelemetryMessage Unnumbered(string topic, ReadOnlyMemory<byte> payload, bool retain) => new(topic, payload, retain, null, 0);
}
