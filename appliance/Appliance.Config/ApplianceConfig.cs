namespace Appliance.Config;

/// <summary>The whole, validated configuration of one appliance, as loaded from its TOML file.</summary>
public sealed record ApplianceConfig(
    string SourceFile,
    NodeConfig Node,
    IReadOnlyList<ModbusDeviceConfig> Devices,
    TelemetryConfig Telemetry,
    MqttConfig Mqtt,
    SpoolConfig Spool,
    TmrConfig Tmr)
{
    /// <summary>The drivers; <see cref="DriversConfig.None"/> when there are none or when their sections have mistakes.</summary>
    public DriversConfig Drivers { get; init; } = DriversConfig.None;

    /// <summary>The board's own sensors; null without a <c>[board]</c> section (no hardware).</summary>
    public BoardConfig? Board { get; init; }

    /// <summary>The watchdog.</summary>
    public WatchdogConfig Watchdog { get; init; } = WatchdogConfig.Default;

    public TimeConfig Time { get; init; } = TimeConfig.Default;

    /// <summary>The control channel.</summary>
    public ControlConfig Control { get; init; } = ControlConfig.Default;

    /// <summary>The keys trusted to sign modules loaded from disk.</summary>
    public TrustConfig Trust { get; init; } = TrustConfig.Default;

    /// <summary>Mistakes in <c>[drivers]</c>, <c>[[driver]]</c> and <c>[trust]</c>: they keep the drivers from starting, not the gateway.</summary>
    public IReadOnlyList<ConfigDiagnostic> DriverErrors { get; init; } = [];
}
