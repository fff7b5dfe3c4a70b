namespace Appliance.Config;

/// <summary>The whole, validated configuration of one appliance, as loaded from its TOML file.</summary>
public sealed record ApplianceConfig(
    string SourceFile,
    NodeConfig Node,
    IReadOnlyList<ModbusDeviceConfig> Devices,
    TelemetryConfig Telemetry,
    MqttConfig Mqtt,
    SpoolConfig Spool,
    TmrConfig Tmr);
