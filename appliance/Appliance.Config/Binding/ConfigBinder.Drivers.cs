using Appliance.Drivers.Policy;

namespace Appliance.Config.Binding;

internal static partial class ConfigBinder
{
    /// <summary>
    /// <c>[drivers]</c> and <c>[[driver]]</c>, their mistakes reported to <paramref name="driverErrors"/>: they keep the
    /// drivers from starting, not the gateway.
    /// </summary>
    private static DriversConfig BindDrivers(SectionReader root, ConfigErrors driverErrors, IReadOnlyList<ModbusDeviceConfig> devices)
    {
        _ = root.Has("drivers");
        _ = root.Has("driver");
        SectionReader section = root.WithErrors(driverErrors).Table("drivers");
        PolicyMode mode = section.Choice(
            "mode",
            PolicyMode.DataDiode,
            ("data-diode", PolicyMode.DataDiode),
            ("secure-channel", PolicyMode.SecureChannel),
            ("lockdown", PolicyMode.Lockdown),
            ("breach", PolicyMode.Breach));
        bool allowBreach = section.Boolean("allow_breach", false);
        if (mode == PolicyMode.Breach && !allowBreach)
        {
            section.Error("mode", "drivers.mode = \"breach\" lets drivers reach any endpoint; it is refused unless allow_breach = true is written too");
        }

        var allowlist = new List<Endpoint>();
        foreach ((string text, Document.TomlPosition position) in section.Strings("allowlist", "[\"10.0.0.50:502\"]") ?? [])
        {
            if (!Endpoint.TryParse(text, out Endpoint endpoint, out string problem))
            {
                driverErrors.Add(position, $"drivers.allowlist: \"{text}\" is not an exact endpoint: {problem}");
            }
            else if (allowlist.Contains(endpoint))
            {
                driverErrors.Add(position, $"drivers.allowlist names {endpoint} twice");
            }
            else
            {
                allowlist.Add(endpoint);
            }
        }

        string audit = section.OptionalPath("audit_log", mustExist: false) ?? DriversConfig.None.AuditLog;
        long auditMax = section.Size("audit_max_size", 1 << 20, 16 << 10, 1L << 30);
        int auditKeep = (int)section.Integer("audit_keep", 4, 1, 100);
        string modeState = section.OptionalPath("mode_state", mustExist: false) ?? DriversConfig.None.ModeState;
        section.Finish();

        var drivers = new List<DriverConfig>();
        var names = new List<(SectionReader, string)>();
        foreach (SectionReader driverSection in root.WithErrors(driverErrors).Tables("driver"))
        {
            DriverConfig driver = BindDriver(driverSection);
            drivers.Add(driver);
            names.Add((driverSection, driver.Name));
            if (devices.Any(device => device.Name == driver.Name))
            {
                driverSection.Error("name", $"driver \"{driver.Name}\" has the name of a [[device]]; both publish under their name: choose another");
            }
        }

        CheckUnique(names, "driver");
        return new DriversConfig(mode, allowBreach, allowlist, audit, auditMax, auditKeep, drivers) { ModeState = modeState };
    }

    private static DriverConfig BindDriver(SectionReader section)
    {
        string name = section.RequiredString("name", "\"pressure\"");
        if (section.Has("name"))
        {
            CheckName(section, "name", name);
        }

        string module = section.RequiredString("module", "\"sensor-driver-demo\"");
        if (section.Has("module") && !DriversConfig.BuiltIn.Contains(module))
        {
            if (!module.EndsWith(".wasm", StringComparison.Ordinal))
            {
                section.Error("module", $"driver.module \"{module}\" is neither a built-in driver ({string.Join(", ", DriversConfig.BuiltIn)}) nor a .wasm file");
            }
            else
            {
                module = section.OptionalPath("module", mustExist: true) ?? module;
            }
        }

        string root = section.OptionalPath("root", mustExist: false) ?? string.Empty;
        if (!section.Has("root"))
        {
            section.Errors.Add(section.Position, $"driver.root is missing for driver \"{name}\"; add root = \"/path/to/its/sensor/files\"");
        }
        else if (root.Length > 0 && !Directory.Exists(root))
        {
            section.Error("root", $"driver.root: directory \"{root}\" does not exist; create it or correct the path");
        }

        TimeSpan interval = section.Duration("interval", TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(100), TimeSpan.FromDays(1));
        long fuel = section.Integer("fuel", 50_000_000, 10_000, 10_000_000_000);
        int memoryPages = (int)section.Integer("memory_pages", 32, 1, 4096);
        long maxRead = section.Size("max_read", 64 << 10, 1, 1 << 20);
        int maxConnections = (int)section.Integer("max_connections", 4, 0, 64);
        long perConnection = section.Size("bytes_per_connection", 64 << 10, 0, 1L << 30);
        long perMinute = section.Size("bytes_per_minute", 256 << 10, 0, 1L << 30);
        section.Finish();
        return new DriverConfig(name, module, root, interval, fuel, memoryPages, maxRead, maxConnections, perConnection, perMinute);
    }

    /// <summary><c>[trust]</c>: its mistakes, like the drivers', keep only the drivers from starting.</summary>
    private static TrustConfig BindTrust(SectionReader root, ConfigErrors driverErrors)
    {
        _ = root.Has("trust");
        SectionReader section = root.WithErrors(driverErrors).Table("trust");
        var keys = new List<string>();
        foreach ((string text, Document.TomlPosition position) in section.Strings("keys", "[\"/etc/appliance/vendor.pub\"]") ?? [])
        {
            string full = Path.GetFullPath(Path.Combine(section.BaseDirectory, text));
            if (!File.Exists(full))
            {
                driverErrors.Add(position, $"trust.keys: \"{full}\" does not exist; write the path of a public key file (appliance key generate writes signing.pub)");
            }
            else
            {
                keys.Add(full);
            }
        }

        string versions = section.OptionalPath("versions", mustExist: false) ?? TrustConfig.Default.Versions;
        section.Finish();
        return new TrustConfig(keys, versions);
    }
}
