using Appliance.Config.Document;

namespace Appliance.Config.Binding;

/// <summary>
/// Turns a parsed TOML document into an <see cref="ApplianceConfig"/>. Each section's keys, defaults and
/// ranges are written here once; <c>ExampleConfig.toml</c> shows the same defaults to people, and a test
/// keeps the two in step.
/// </summary>
internal static partial class ConfigBinder
{
    public static ApplianceConfig Bind(DocumentTable document, ConfigErrors errors, string sourceFile, string baseDirectory, Action<SectionReader>? finished = null)
    {
        var root = new SectionReader(new BindingContext(errors, baseDirectory, finished), document, string.Empty);
        NodeConfig node = BindNode(root.Table("node"));
        IReadOnlyList<ModbusDeviceConfig> devices = BindDevices(root.Tables("device"));
        TelemetryConfig telemetry = BindTelemetry(root.Table("telemetry"));
        MqttConfig mqtt = BindMqtt(root.Table("mqtt", MqttSecretHint), node);
        SpoolConfig spool = BindSpool(root.Table("spool"));
        TmrConfig tmr = BindTmr(root.Table("tmr"));
        var driverErrors = new ConfigErrors(errors.File);
        DriversConfig drivers = BindDrivers(root, driverErrors, devices);
        TrustConfig trust = BindTrust(root, driverErrors);
        ControlConfig control = BindControl(root.Table("control"));
        BoardConfig? board = root.Has("board") ? BindBoard(root.Table("board"), devices) : null;
        WatchdogConfig watchdog = BindWatchdog(root.Table("watchdog"));
        TimeConfig time = BindTime(root.Table("time"));
        root.Finish();
        return new ApplianceConfig(sourceFile, node, devices, telemetry, mqtt, spool, tmr)
        {
            Drivers = driverErrors.Count == 0 ? drivers : DriversConfig.None,
            Trust = trust,
            Control = control,
            Board = board,
            Watchdog = watchdog,
            Time = time,
            DriverErrors = driverErrors.InFileOrder(),
        };
    }

    private static WatchdogConfig BindWatchdog(SectionReader section)
    {
        string device = section.OptionalPath("device", mustExist: false) ?? WatchdogConfig.Default.Device;
        TimeSpan timeout = section.Duration("timeout", WatchdogConfig.Default.Timeout, TimeSpan.FromSeconds(3), TimeSpan.FromMinutes(10));
        section.Finish();
        return new WatchdogConfig(device, timeout);
    }

    private static TimeConfig BindTime(SectionReader section)
    {
        const string Example = "[\"ntp1.plant.example\", \"ntp2.plant.example\"]";
        var servers = new List<string>();
        foreach ((string text, TomlPosition position) in section.Strings("ntp", Example) ?? [])
        {
            if (!HostName.IsValid(text))
            {
                section.Errors.Add(position, $"{section.Name("ntp")}: \"{text}\" is not an IPv4 address, IPv6 address or host name");
            }
            else if (servers.Contains(text, StringComparer.OrdinalIgnoreCase))
            {
                section.Errors.Add(position, $"{section.Name("ntp")}: \"{text}\" is named twice; name each server once");
            }
            else if (servers.Count == TimeConfig.MaxServers)
            {
                section.Errors.Add(position, $"{section.Name("ntp")} names more than {TimeConfig.MaxServers} servers; keep the {TimeConfig.MaxServers} nearest");
                break;
            }
            else
            {
                servers.Add(text);
            }
        }

        section.Finish();
        return new TimeConfig(servers);
    }

    private static ControlConfig BindControl(SectionReader section)
    {
        ControlConfig defaults = ControlConfig.Default;
        string socket = section.OptionalPath("socket", mustExist: false) ?? defaults.Socket;
        string group = section.String("group", defaults.Group);
        string pinFile = section.OptionalPath("pin_file", mustExist: false) ?? defaults.PinFile;
        string pinState = section.OptionalPath("pin_state", mustExist: false) ?? defaults.PinState;
        bool faults = section.Boolean("allow_fault_injection", defaults.AllowFaultInjection);
        section.Finish();
        return new ControlConfig(socket, group, pinFile, pinState, faults);
    }

    private static NodeConfig BindNode(SectionReader section)
    {
        string id = section.String("id", "gateway-01");
        CheckName(section, "id", id);
        string description = section.String("description", string.Empty);
        section.Finish();
        return new NodeConfig(id, description);
    }

    private static TelemetryConfig BindTelemetry(SectionReader section)
    {
        string topic = section.String("topic", "appliance/{node}/{device}/{group}");
        TopicTemplate.Check(section, "topic", topic, ["node", "device", "group"]);
        TelemetryFormat format = section.Choice("format", TelemetryFormat.Json, ("json", TelemetryFormat.Json));
        section.Finish();
        return new TelemetryConfig(topic, format);
    }

    private static SpoolConfig BindSpool(SectionReader section)
    {
        string path = section.OptionalPath("path", mustExist: false) ?? "/var/lib/appliance/spool.db";
        long maxBytes = section.Size("max_size", 256L << 20, 1L << 20, 1L << 40);
        section.Finish();
        return new SpoolConfig(path, maxBytes);
    }

    private static TmrConfig BindTmr(SectionReader section)
    {
        TmrMode mode = section.Choice(
            "mode",
            TmrMode.TwoOutOfThree,
            ("2oo3", TmrMode.TwoOutOfThree),
            ("1oo2", TmrMode.OneOutOfTwo),
            ("1oo1", TmrMode.OneOutOfOne));
        long fuel = section.Integer("fuel", 1_000_000, 1_000, 1_000_000_000_000);
        int memoryPages = (int)section.Integer("memory_pages", 16, 1, 65_536);
        int stackSlots = (int)section.Integer("stack_slots", 16_384, 1_024, 1 << 24);
        int callDepth = (int)section.Integer("call_depth", 256, 16, 100_000);
        IReadOnlyList<LaneConfig> lanes = BindLanes(section, mode);

        SectionReader faults = section.Table("fault_injection");
        double bitFlipRate = faults.Float("bit_flip_rate", 0.0, 0.0, 1.0);
        double trapRate = faults.Float("trap_rate", 0.0, 0.0, 1.0);
        double corruptRate = faults.Float("corrupt_rate", 0.0, 0.0, 1.0);
        long seed = faults.Integer("seed", 0, 0, long.MaxValue);
        faults.Finish();

        section.Finish();
        return new TmrConfig(mode, fuel, memoryPages, stackSlots, callDepth, new FaultInjectionConfig(bitFlipRate, trapRate, seed) { CorruptRate = corruptRate }) { Lanes = lanes };
    }

    /// <summary>
    /// <c>lanes = ["engine:guest", ...]</c>: the voting lanes in order, at least as many as the mode votes with (2oo3:
    /// three, 1oo2: two, 1oo1: one), of which the mode uses the first; the default is the diverse layout of
    /// <see cref="LaneConfig.Default"/>, cut to the mode.
    /// </summary>
    private static List<LaneConfig> BindLanes(SectionReader section, TmrMode mode)
    {
        const string Example = "[\"wasmtime:modbus-parser\", \"interpreter:modbus-parser\", \"wasmtime:modbus-parser-c\"]";
        int count = mode switch
        {
            TmrMode.OneOutOfOne => 1,
            TmrMode.OneOutOfTwo => 2,
            _ => 3,
        };
        IReadOnlyList<(string Text, TomlPosition Position)>? written = section.Strings("lanes", Example);
        if (written is null)
        {
            return [.. LaneConfig.Default.Take(count)];
        }

        var lanes = new List<LaneConfig>(written.Count);
        foreach ((string text, TomlPosition position) in written)
        {
            string[] parts = text.Split(':');
            SandboxEngine? engine = parts.Length == 2 ? parts[0] switch
            {
                "wasmtime" => SandboxEngine.Wasmtime,
                "interpreter" => SandboxEngine.Interpreter,
                _ => null,
            } : null;
            if (engine is null)
            {
                section.Errors.Add(position, $"{section.Name("lanes")} entry \"{text}\" must be \"engine:guest\" with the engine wasmtime or interpreter, e.g. \"wasmtime:modbus-parser\"");
                continue;
            }

            if (!LaneConfig.Guests.Contains(parts[1]))
            {
                string suggestion = KeySuggestion.Closest(parts[1], LaneConfig.Guests) is string close ? $"; did you mean \"{close}\"?" : string.Empty;
                section.Errors.Add(position, $"{section.Name("lanes")} entry \"{text}\" names the guest \"{parts[1]}\", which this build does not have; the parser guests are {string.Join(", ", LaneConfig.Guests)}{suggestion}");
                continue;
            }

            lanes.Add(new LaneConfig(engine.Value, parts[1]));
        }

        if (lanes.Count == written.Count && lanes.Count < count)
        {
            section.Error("lanes", $"{section.Name("lanes")} lists {lanes.Count} lanes but mode {ModeName(mode)} votes with {count}; list at least {count}, e.g. lanes = {Example}");
        }

        return lanes.Count >= count ? lanes.GetRange(0, count) : [.. LaneConfig.Default.Take(count)];
    }

    private static string ModeName(TmrMode mode) => mode switch
    {
        TmrMode.OneOutOfOne => "\"1oo1\"",
        TmrMode.OneOutOfTwo => "\"1oo2\"",
        _ => "\"2oo3\"",
    };

    /// <summary>Names appear in topics and JSON keys: letters, digits, '-', '_' and '.', starting with a letter or digit.</summary>
    private static void CheckName(SectionReader section, string key, string name)
    {
        if (name.Length == 0 || name.Length > 64 || !char.IsAsciiLetterOrDigit(name[0])
            || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            section.Error(key, $"{section.Name(key)} \"{name}\" must be 1 to 64 characters of letters, digits, '-', '_' and '.', starting with a letter or digit");
        }
    }

    /// <summary>Reports names used twice among the entries of one list.</summary>
    private static void CheckUnique(IEnumerable<(SectionReader Section, string Name)> entries, string what)
    {
        var seen = new Dictionary<string, TomlPosition>(StringComparer.Ordinal);
        foreach ((SectionReader section, string name) in entries)
        {
            TomlPosition here = section.PositionOf("name");
            if (name.Length > 0 && !seen.TryAdd(name, here))
            {
                section.Error("name", $"{what} name \"{name}\" is already used at line {seen[name].Line}; names must be unique");
            }
        }
    }
}
