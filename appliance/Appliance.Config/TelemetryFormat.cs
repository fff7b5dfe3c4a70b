namespace Appliance.Config;

/// <summary>Encodings of telemetry messages.</summary>
public enum TelemetryFormat
{
    /// <summary>One JSON object per poll group, as documented in the README.</summary>
    Json,
}
