using Appliance.Drivers.Policy;

namespace Appliance.Config;

/// <summary>
/// <c>[drivers]</c> and the <c>[[driver]]</c> sections: untrusted vendor drivers, the policy mode they run under, the
/// endpoints Secure Channel allows, and the audit log. A mistake here stops the drivers from starting (reported in
/// <see cref="ApplianceConfig.DriverErrors"/>), never the gateway's data path.
/// </summary>
/// <param name="Mode">The policy mode at start.</param>
/// <param name="AllowBreach">Whether Breach may be chosen at all (at start or by a switch).</param>
/// <param name="Allowlist">The exact endpoints Secure Channel lets drivers connect to.</param>
/// <param name="AuditLog">The audit log file (on the data partition).</param>
/// <param name="AuditMaxBytes">Size at which the audit log is rotated.</param>
/// <param name="AuditKeep">Rotated audit files kept.</param>
/// <param name="Drivers">The drivers.</param>
public sealed record DriversConfig(
    PolicyMode Mode,
    bool AllowBreach,
    IReadOnlyList<Endpoint> Allowlist,
    string AuditLog,
    long AuditMaxBytes,
    int AuditKeep,
    IReadOnlyList<DriverConfig> Drivers)
{
    /// <summary>No drivers: what a file without driver sections, or with mistakes in them, gives.</summary>
    public static DriversConfig None { get; } = new(PolicyMode.DataDiode, false, [], "/var/lib/appliance/audit.log", 1 << 20, 4, []);

    /// <summary>Where a mode switched at run time is kept, to be the mode at the next start (on the data partition).</summary>
    public string ModeState { get; init; } = "/var/lib/appliance/policy-mode";

    /// <summary>The driver guests this build carries, that <c>module</c> can name instead of a file.</summary>
    public static IReadOnlyList<string> BuiltIn { get; } = ["sensor-driver-demo", "sensor-driver-attacker"];
}

/// <summary>One <c>[[driver]]</c>.</summary>
/// <param name="Name">Its name: in topics (as the device), the log and the audit log.</param>
/// <param name="Module">A built-in driver's name, or the full path of a .wasm file.</param>
/// <param name="Root">The sensor root: the one directory whose files it may read.</param>
/// <param name="Interval">How often it is polled.</param>
/// <param name="Fuel">Wasmtime fuel per call.</param>
/// <param name="MemoryPages">Largest memory, in 64 KiB pages.</param>
/// <param name="MaxRead">Largest file it may read.</param>
/// <param name="MaxConnections">Connections open at once.</param>
/// <param name="BytesPerConnection">Bytes per connection, both ways.</param>
/// <param name="BytesPerMinute">Bytes per minute on all its connections.</param>
public sealed record DriverConfig(
    string Name,
    string Module,
    string Root,
    TimeSpan Interval,
    long Fuel,
    int MemoryPages,
    long MaxRead,
    int MaxConnections,
    long BytesPerConnection,
    long BytesPerMinute);
