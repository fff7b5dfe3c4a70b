namespace Appliance.Config.Binding;

internal static partial class ConfigBinder
{
    private static BoardConfig BindBoard(SectionReader section, IReadOnlyList<ModbusDeviceConfig> devices)
    {
        TimeSpan interval = section.Duration("interval", TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        string export = section.OptionalPath("export_dir", mustExist: false) ?? string.Empty;

        Bme280Config? bme = null;
        if (section.Has("bme280"))
        {
            SectionReader b = section.Table("bme280");
            string name = b.String("name", "cabinet");
            CheckName(b, "name", name);
            int bus = (int)b.Integer("bus", 1, 0, 255);
            int address = (int)b.Integer("address", 0x76, 0, 0x7F);
            if (address is not (0x76 or 0x77))
            {
                b.Error("address", $"board.bme280.address must be 0x76 (SDO to ground) or 0x77 (SDO to VDDIO), not 0x{address:x2}");
                address = 0x76;
            }
            TimeSpan? own = SensorInterval(b);
            b.Finish();
            bme = new Bme280Config(name, bus, address) { Interval = own };
        }

        Dht22Config? dht = null;
        if (section.Has("dht22"))
        {
            SectionReader d = section.Table("dht22");
            string name = d.String("name", "cabinet_dht");
            CheckName(d, "name", name);
            string device = d.OptionalPath("device", mustExist: false) ?? "/sys/bus/iio/devices/iio:device0";
            TimeSpan? own = SensorInterval(d, TimeSpan.FromSeconds(2));
            d.Finish();
            dht = new Dht22Config(name, device) { Interval = own };
        }

        var probes = new List<Ds18b20Config>();
        var names = new List<(SectionReader, string)>();
        foreach (SectionReader p in section.Tables("ds18b20"))
        {
            string name = p.RequiredString("name", "\"inlet\"");
            if (p.Has("name"))
            {
                CheckName(p, "name", name);
            }

            string device = p.OptionalPath("device", mustExist: false) ?? string.Empty;
            if (!p.Has("device"))
            {
                p.Errors.Add(p.Position, $"board.ds18b20.device is missing for \"{name}\"; add device = \"/sys/bus/w1/devices/28-...\"");
            }

            TimeSpan? own = SensorInterval(p);
            p.Finish();
            probes.Add(new Ds18b20Config(name, device) { Interval = own });
            names.Add((p, name));
        }

        CheckUnique(names, "ds18b20");

        var relays = new List<RelayConfig>();
        var relayNames = new List<(SectionReader, string)>();
        var lines = new HashSet<(int, int)>();
        foreach (SectionReader r in section.Tables("relay"))
        {
            string name = r.RequiredString("name", "\"beacon\"");
            if (r.Has("name"))
            {
                CheckName(r, "name", name);
            }

            int chip = (int)r.Integer("chip", 0, 0, 63);
            if (!r.Has("line"))
            {
                r.Errors.Add(r.Position, $"board.relay.line is missing for \"{name}\"; add line = <GPIO line, the BCM number on a Pi>");
            }

            int line = (int)r.Integer("line", 0, 0, 1023);
            if (r.Has("line") && !lines.Add((chip, line)))
            {
                r.Error("line", $"board.relay.line {line} of chip {chip} is already a relay");
            }

            bool activeLow = r.Boolean("active_low", false);
            string role = r.Choice("role", "manual", ("alarm", "alarm"), ("uplink-isolate", "uplink-isolate"), ("manual", "manual"));
            bool safeOn = r.Choice("safe", false, ("off", false), ("on", true));
            r.Finish();
            relays.Add(new RelayConfig(name, chip, line, activeLow, role, safeOn));
            relayNames.Add((r, name));
        }

        CheckUnique(relayNames, "relay");

        OledConfig? oled = null;
        if (section.Has("oled"))
        {
            SectionReader o = section.Table("oled");
            int bus = (int)o.Integer("bus", 1, 0, 255);
            int address = (int)o.Integer("address", 0x3C, 0, 0x7F);
            if (address is not (0x3C or 0x3D))
            {
                o.Error("address", $"board.oled.address must be 0x3C (SA0 to ground, most modules) or 0x3D, not 0x{address:x2}");
                address = 0x3C;
            }

            int height = (int)o.Integer("height", 64, 0, 1024);
            if (height is not (64 or 32))
            {
                o.Error("height", $"board.oled.height must be 64 (a 128x64 module) or 32 (128x32), not {height}");
                height = 64;
            }

            TimeSpan rotate = o.Duration("rotate", TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
            o.Finish();
            oled = new OledConfig(bus, address, height, rotate);
        }
        if (devices.Any(device => device.Name == "board"))
        {
            section.Errors.Add(section.Position, "a [[device]] is named \"board\", which the board's own telemetry uses; rename the device");
        }

        section.Finish();
        return new BoardConfig(interval, export, bme, dht, probes) { Relays = relays, Oled = oled };
    }

    /// <summary>A sensor's own <c>interval</c>, or null for the board's.</summary>
    private static TimeSpan? SensorInterval(SectionReader sensor, TimeSpan? shortest = null) =>
        sensor.Has("interval") ? sensor.Duration("interval", TimeSpan.FromSeconds(5), shortest ?? TimeSpan.FromSeconds(1), TimeSpan.FromDays(1)) : null;
}
