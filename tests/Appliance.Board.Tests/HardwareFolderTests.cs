using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Appliance.Config;
using Appliance.Testing;

namespace Appliance.Board.Tests;

/// <summary>
/// <c>hardware/</c>, the reference build for a Pi 4, against itself and the code: the wiring diagram and the README's
/// pinout table are what <c>hardware/wiring</c> draws from <c>pinout.csv</c>; every row names the right BCM line for
/// its header pin; the example configuration's <c>[board]</c> and <c>hardware/config.txt</c> use the lines, buses and
/// addresses the pinout wires.
/// </summary>
public sealed partial class HardwareFolderTests : IDisposable
{
    private const string Python = "/usr/bin/python3";

    /// <summary>
    /// The Raspberry Pi 4 Model B's J8 header, written out here apart from the script's own map: pin → BCM line
    /// (null for power), from Raspberry Pi's documentation. Pins 1 and 17 are 3V3, 2 and 4 are 5V.
    /// </summary>
    private static readonly Dictionary<int, (int? Bcm, string Name)> Header = new()
    {
        [1] = (null, "3V3"), [2] = (null, "5V"), [3] = (2, "GPIO2"), [4] = (null, "5V"), [5] = (3, "GPIO3"),
        [6] = (null, "GND"), [7] = (4, "GPIO4"), [8] = (14, "GPIO14"), [9] = (null, "GND"), [10] = (15, "GPIO15"),
        [11] = (17, "GPIO17"), [12] = (18, "GPIO18"), [13] = (27, "GPIO27"), [14] = (null, "GND"), [15] = (22, "GPIO22"),
        [16] = (23, "GPIO23"), [17] = (null, "3V3"), [18] = (24, "GPIO24"), [19] = (10, "GPIO10"), [20] = (null, "GND"),
        [21] = (9, "GPIO9"), [22] = (25, "GPIO25"), [23] = (11, "GPIO11"), [24] = (8, "GPIO8"), [25] = (null, "GND"),
        [26] = (7, "GPIO7"), [27] = (0, "GPIO0"), [28] = (1, "GPIO1"), [29] = (5, "GPIO5"), [30] = (null, "GND"),
        [31] = (6, "GPIO6"), [32] = (12, "GPIO12"), [33] = (13, "GPIO13"), [34] = (null, "GND"), [35] = (19, "GPIO19"),
        [36] = (16, "GPIO16"), [37] = (26, "GPIO26"), [38] = (20, "GPIO20"), [39] = (null, "GND"), [40] = (21, "GPIO21"),
    };

    private readonly TempDirectory _dir = new();

    private static string Folder => Path.Combine(Repository.Root, "hardware");

    private static string Script => Path.Combine(Folder, "wiring");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task TheWiringDiagramAndTheReadmeTableAreWhatTheScriptDrawsFromThePinout()
    {
        (int check, _, string checkErrors) = await ChildProcess.RunAsync(Python, Script, "--check");
        Assert.True(check == 0, $"hardware/wiring --check: {checkErrors}");

        // Twice into a fresh folder: the same bytes as each other and as the committed files.
        foreach (string run in new[] { "first", "second" })
        {
            string target = Path.Combine(_dir.Path, run);
            (int code, _, string errors) = await ChildProcess.RunAsync(Python, Script, "--out", target);
            Assert.True(code == 0, errors);
            foreach (string file in new[] { "wiring.svg", "README.md" })
            {
                Assert.Equal(File.ReadAllBytes(Path.Combine(Folder, file)), File.ReadAllBytes(Path.Combine(target, file)));
            }
        }
    }

    [Fact]
    public async Task TheScriptRefusesARowWhosePinAndBcmLineDisagreeWithTheHeader()
    {
        string copy = Path.Combine(_dir.Path, "hardware");
        Directory.CreateDirectory(copy);
        foreach (string file in new[] { "wiring", "README.md", "pinout.csv" })
        {
            File.Copy(Path.Combine(Folder, file), Path.Combine(copy, file));
        }

        string pinout = File.ReadAllText(Path.Combine(copy, "pinout.csv"));
        File.WriteAllText(Path.Combine(copy, "pinout.csv"), pinout.Replace("16,23,GPIO23,", "16,24,GPIO23,", StringComparison.Ordinal));

        (int code, _, string errors) = await ChildProcess.RunAsync(Python, Path.Combine(copy, "wiring"), "--check");

        Assert.Equal(2, code);
        Assert.Contains("pin 16 is GPIO23, BCM \"23\", not BCM \"24\"", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryPinoutRowAgreesWithThePi4Header()
    {
        // The script's own map is the header...
        (int code, string map, string errors) = await ChildProcess.RunAsync(Python, Script, "--header");
        Assert.True(code == 0, errors);
        var scripts = map.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line.Split(','))
            .ToDictionary(f => int.Parse(f[0], CultureInfo.InvariantCulture), f => (f[1].Length == 0 ? (int?)null : int.Parse(f[1], CultureInfo.InvariantCulture), f[2]));
        Assert.Equal(Header.OrderBy(p => p.Key), scripts.OrderBy(p => p.Key));

        // ... and every row of the pinout names its pin's BCM line, and a power pin only for power.
        List<PinoutRow> rows = Pinout();
        Assert.NotEmpty(rows);
        foreach (PinoutRow row in rows)
        {
            (int? bcm, string name) = Header[row.Pin];
            Assert.True(bcm == row.Bcm, $"pin {row.Pin} is {name}, BCM {bcm?.ToString(CultureInfo.InvariantCulture) ?? "none"}; pinout.csv says {row.Bcm}");
            string power = name switch { "3V3" => "3v3", "5V" => "5v", "GND" => "gnd", _ => "" };
            Assert.True(power.Length == 0 ? row.Kind is not ("3v3" or "5v" or "gnd") : row.Kind == power, $"pin {row.Pin} ({name}) cannot be {row.Kind}");
        }

        Assert.All(rows.Where(r => r.Kind == "i2c"), r => Assert.Contains(r.Bcm, new int?[] { 2, 3 })); // I2C1: /dev/i2c-1
        Assert.All(rows.Where(r => r.Kind == "uart"), r => Assert.Contains(r.Bcm, new int?[] { 14, 15 }));
    }

    [Fact]
    public void TheExamplesCommentedBoardMatchesThePinout()
    {
        BoardConfig board = ExampleBoard();
        List<PinoutRow> rows = Pinout();

        // Every relay is a relay line of the pinout, and every relay line of the pinout is configured.
        Assert.Equal(
            rows.Where(r => r.Kind == "relay").Select(r => r.Bcm!.Value).Order(),
            board.Relays.Select(r => r.Line).Order());
        Assert.All(board.Relays, relay => Assert.Equal(0, relay.Chip)); // the header's lines are on gpiochip0

        // The I2C devices on the bus and at the addresses the pinout wires (I2C1, pins 3 and 5: bus 1).
        Assert.Equal(1, board.Bme280!.Bus);
        Assert.Equal(1, board.Oled!.Bus);
        Assert.Equal(new[] { board.Bme280.Address }, I2cAddresses(rows, "BME280"));
        Assert.Equal(new[] { board.Oled.Address }, I2cAddresses(rows, "SSD1306"));

        // The DHT22 and the DS18B20s are configured, on the lines config.txt gives their overlays.
        Assert.NotNull(board.Dht22);
        Assert.NotEmpty(board.Ds18b20);
        Dictionary<string, int> overlays = Overlays(File.ReadAllText(Path.Combine(Folder, "config.txt")));
        Assert.Equal(Line(rows, "dht"), overlays["dht11"]);
        Assert.Equal(Line(rows, "1-wire"), overlays["w1-gpio"]);

        // The example's comments name the same overlays.
        string example = ExampleConfig.Text;
        Assert.Contains($"dtoverlay=dht11,gpiopin={Line(rows, "dht")}", example, StringComparison.Ordinal);
        Assert.Contains($"dtoverlay=w1-gpio,gpiopin={Line(rows, "1-wire")}", example, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigTxtHasTheOverlaysThePinoutNeeds()
    {
        string text = File.ReadAllText(Path.Combine(Folder, "config.txt"));
        Dictionary<string, int> overlays = Overlays(text);

        foreach (PinoutRow row in Pinout())
        {
            string? overlay = row.Kind switch { "dht" => "dht11", "1-wire" => "w1-gpio", _ => null };
            if (overlay is not null)
            {
                Assert.True(overlays.TryGetValue(overlay, out int pin) && pin == row.Bcm, $"config.txt needs dtoverlay={overlay},gpiopin={row.Bcm} for pin {row.Pin}");
            }
        }

        string[] settings = [.. text.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0 && !line.StartsWith('#'))];
        Assert.Contains("enable_uart=1", settings); // the serial console on pins 8 and 10
        Assert.Contains("dtparam=i2c_arm=on", settings);
        Assert.Contains("dtparam=watchdog=on", settings);
        Assert.Equal("[all]", settings[0]); // appended to Debian's generated config.txt: applies to every board

        // Debian's hook writes the kernel and initramfs lines for the installed kernel; this file must not.
        Assert.DoesNotContain(settings, line => line.StartsWith("kernel=", StringComparison.Ordinal) || line.StartsWith("initramfs", StringComparison.Ordinal));
    }

    /// <summary>Debian ships no overlays: ours compile, apply to a tree with the SoC's gpio label, and default to the pinout's lines.</summary>
    [Fact]
    public async Task TheOverlaysCompileAndDefaultToThePinoutsLines()
    {
        Assert.True(File.Exists("/usr/bin/dtc"), "dtc is missing: install device-tree-compiler (scripts/setup does)");
        List<PinoutRow> rows = Pinout();
        string baseTree = _dir.File("base.dts", """
            /dts-v1/;
            / {
                compatible = "raspberrypi,4-model-b", "brcm,bcm2711";
                #address-cells = <1>;
                #size-cells = <1>;
                soc { gpio: gpio@7e200000 { compatible = "brcm,bcm2711-gpio"; reg = <0x7e200000 0xb4>; gpio-controller; #gpio-cells = <2>; }; };
            };
            """);
        await Run("/usr/bin/dtc", "-@", "-q", "-I", "dts", "-O", "dtb", "-o", baseTree + ".dtb", baseTree);

        foreach ((string name, string kind, string node) in new[] { ("dht11", "dht", "dht11"), ("w1-gpio", "1-wire", "onewire") })
        {
            string source = Path.Combine(Folder, "overlays", name + ".dts");
            string dtbo = Path.Combine(_dir.Path, name + ".dtbo");
            await Run("/usr/bin/dtc", "-@", "-q", "-I", "dts", "-O", "dtb", "-o", dtbo, source);
            string merged = Path.Combine(_dir.Path, name + ".dtb");
            await Run("/usr/bin/fdtoverlay", "-i", baseTree + ".dtb", "-o", merged, dtbo);
            string gpios = await Run("/usr/bin/fdtget", "-t", "u", merged, "/" + node, "gpios");
            Assert.Equal(Line(rows, kind), int.Parse(gpios.Split(' ')[1], CultureInfo.InvariantCulture));
            Assert.Contains($"brcm,pins = <{Line(rows, kind)}>", File.ReadAllText(source), StringComparison.Ordinal);
        }
    }

    private static async Task<string> Run(string program, params string[] arguments)
    {
        (int code, string output, string errors) = await ChildProcess.RunAsync(program, arguments);
        Assert.True(code == 0, $"{program} {string.Join(' ', arguments)}: {errors}");
        return output.Trim();
    }

    private static int Line(List<PinoutRow> rows, string kind) => rows.Single(r => r.Kind == kind).Bcm!.Value;

    private static int[] I2cAddresses(List<PinoutRow> rows, string module) =>
        [.. rows.Where(r => r.Kind == "i2c" && r.Module == module).Select(r => Convert.ToInt32(r.Address, 16)).Distinct()];

    /// <summary>The example's commented <c>[board]</c>, uncommented and bound as the appliance binds it.</summary>
    private BoardConfig ExampleBoard()
    {
        string example = ExampleConfig.Text;
        int start = example.IndexOf("# [board]", StringComparison.Ordinal);
        string board = string.Join('\n', example[start..].Split('\n').TakeWhile(line => line.StartsWith("# ", StringComparison.Ordinal)).Select(line => line[2..]));
        ConfigLoadResult result = ConfigLoader.Parse(Encoding.UTF8.GetBytes(board), "board.toml", _dir.Path);
        Assert.True(result.IsValid, string.Join('\n', result.Errors));
        return result.Config.Board!;
    }

    /// <summary>config.txt's <c>dtoverlay=NAME,gpiopin=N</c> lines.</summary>
    private static Dictionary<string, int> Overlays(string configTxt) =>
        OverlayLine().Matches(configTxt).ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^dtoverlay=([a-z0-9-]+),gpiopin=(\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex OverlayLine();

    private static List<PinoutRow> Pinout()
    {
        string[] lines = File.ReadAllLines(Path.Combine(Folder, "pinout.csv"));
        Assert.Equal("pin,bcm,signal,kind,module,terminal,address,pull,note", lines[0]);
        return [.. lines.Skip(1).Where(line => line.Length > 0).Select(line =>
        {
            List<string> f = CsvFields(line);
            Assert.Equal(9, f.Count);
            return new PinoutRow(int.Parse(f[0], CultureInfo.InvariantCulture), f[1].Length == 0 ? null : int.Parse(f[1], CultureInfo.InvariantCulture), f[3], f[4], f[6]);
        })];
    }

    /// <summary>One CSV line's fields (RFC 4180: quoted fields may hold commas and doubled quotes).</summary>
    private static List<string> CsvFields(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"')
            {
                field.Append('"');
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return fields;
    }

    private sealed record PinoutRow(int Pin, int? Bcm, string Kind, string Module, string Address);
}
