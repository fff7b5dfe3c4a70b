using System.Text.Json;
using Appliance.Config;
using Appliance.Drivers.Audit;
using Appliance.Drivers.Hosting;
using Appliance.Drivers.Policy;
using Appliance.Gateway.Telemetry;
using Appliance.Trust;
using Microsoft.Extensions.Logging;

namespace Appliance.Gateway.Drivers;

/// <summary>
/// The vendor drivers of the gateway, composed from <c>[drivers]</c> and <c>[[driver]]</c>: the policy they all run
/// under, the audit log, and one <see cref="DriverPoller"/> per driver. Built apart from the data path: when the driver
/// sections have mistakes, or the audit log cannot be opened, there are no drivers and the data path runs regardless.
/// </summary>
public sealed class DriverSet : IDisposable
{
    private readonly List<DriverModule> _modules;

    private DriverSet(DriverPolicy policy, AuditLog audit, List<DriverModule> modules, IReadOnlyList<DriverPoller> pollers)
    {
        Policy = policy;
        Audit = audit;
        _modules = modules;
        Pollers = pollers;
    }

    public DriverPolicy Policy { get; }

    public AuditLog Audit { get; }

    public IReadOnlyList<DriverPoller> Pollers { get; }

    /// <summary>The drivers of the configuration; null (logged) when there are none, or when they cannot start.</summary>
    /// <param name="builtIn">The driver guests the executable carries, by name.</param>
    public static DriverSet? Create(ApplianceConfig config, IReadOnlyDictionary<string, byte[]> builtIn, ITelemetrySink sink, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(builtIn);
        if (config.DriverErrors.Count > 0)
        {
            Log.DriversNotStarted(logger, string.Join("; ", config.DriverErrors));
            return null;
        }

        DriversConfig drivers = config.Drivers;
        if (drivers.Drivers.Count == 0)
        {
            return null;
        }

        AuditLog audit;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(drivers.AuditLog) ?? ".");
            audit = AuditLog.Open(drivers.AuditLog, drivers.AuditMaxBytes, drivers.AuditKeep);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            Log.DriversNotStarted(logger, $"the audit log {drivers.AuditLog} ([drivers] audit_log) cannot be opened: {e.Message}");
            return null;
        }

        var policy = new DriverPolicy(drivers.Mode, drivers.Allowlist, drivers.AllowBreach, audit, drivers.ModeState);
        ModuleVerifier? verifier = null;
        var modules = new List<DriverModule>();
        var pollers = new List<DriverPoller>();
        foreach (DriverConfig driver in drivers.Drivers)
        {
            try
            {
                // A built-in driver is covered by the executable; one from disk is verified before a byte of it is decoded.
                byte[] wasm = builtIn.TryGetValue(driver.Module, out byte[]? carried)
                    ? carried
                    : (verifier ??= Verifier(config.Trust)).Verify(driver.Module, DriverWorld).Module;
                var limits = new DriverLimits(driver.Fuel, driver.MemoryPages, (int)driver.MaxRead, TimeSpan.FromSeconds(5));
                DriverModule module = DriverModule.Compile(driver.Name, wasm, limits);
                modules.Add(module);
                string topic = config.Telemetry.TopicFor(config.Node.Id, driver.Name, "driver");
                pollers.Add(new DriverPoller(driver, module, policy, audit, sink, topic, logger));
            }
            catch (Exception e) when (e is DriverFaultException or ModuleRefusedException or IOException or UnauthorizedAccessException)
            {
                string what = e is ModuleRefusedException refused ? $"module-refused ({refused.Reason})" : "driver-refused";
                audit.Write(new AuditEntry(what, driver.Name, Target: driver.Module, Mode: PolicyModes.Name(policy.Mode), Detail: e.Message));
                Log.DriversNotStarted(logger, $"driver {driver.Name}: {e.Message}");
            }
        }

        policy.Switched += mode => Log.PolicySwitched(logger, PolicyModes.Name(mode));
        return new DriverSet(policy, audit, modules, pollers);
    }

    /// <summary>The world every driver module must implement.</summary>
    public const string DriverWorld = "ics:gateway/sensor-driver@0.1.0";

    private static ModuleVerifier Verifier(TrustConfig trust)
    {
        if (trust.Keys.Count == 0)
        {
            throw new ModuleRefusedException(ModuleRefusal.UntrustedKey, "no key is trusted to sign modules loaded from disk: list one in [trust] keys");
        }

        return new ModuleVerifier(trust.Keys.Select(SigningKeys.LoadPublic), VersionStore.Open(trust.Versions));
    }

    /// <summary>Writes <c>"policy"</c> and <c>"drivers"</c> into a status object.</summary>
    public void WriteStatus(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        WritePolicy(json, Policy);
        json.WriteStartObject("drivers"u8);
        foreach (DriverPoller poller in Pollers)
        {
            (IReadOnlyDictionary<string, long> denied, long deniedTotal, long bytesSent, long dropped) = poller.Counters;
            json.WriteStartObject(poller.Config.Name);
            json.WriteNumber("polls"u8, poller.Polls);
            json.WriteNumber("good_polls"u8, poller.GoodPolls);
            json.WriteNumber("faults"u8, poller.Faults);
            json.WriteNumber("denied"u8, deniedTotal);
            json.WriteStartObject("denied_by_call"u8);
            foreach ((string call, long count) in denied.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                json.WriteNumber(call, count);
            }

            json.WriteEndObject();
            json.WriteNumber("bytes_sent"u8, bytesSent);
            json.WriteNumber("log_lines_dropped"u8, dropped);
            json.WriteString("last_error"u8, poller.LastError);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    /// <summary><c>"policy": {"mode": .., "breach_allowed": .., "warning": ..}</c>; the warning is there while Breach is active.</summary>
    public static void WritePolicy(Utf8JsonWriter json, DriverPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(policy);
        json.WriteStartObject("policy"u8);
        json.WriteString("mode"u8, PolicyModes.Name(policy.Mode));
        json.WriteBoolean("breach_allowed"u8, policy.BreachAllowed);
        if (policy.Mode == PolicyMode.Breach)
        {
            json.WriteString("warning"u8, "BREACH MODE: drivers may reach any endpoint; switch back to data-diode or secure-channel");
        }

        json.WriteEndObject();
    }

    public void Dispose()
    {
        foreach (DriverPoller poller in Pollers)
        {
            poller.Dispose();
        }

        foreach (DriverModule module in _modules)
        {
            module.Dispose();
        }

        Audit.Dispose();
    }
}
