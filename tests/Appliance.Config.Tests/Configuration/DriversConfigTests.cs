using System.Text;
using Appliance.Drivers.Policy;

namespace Appliance.Config.Tests.Configuration;

/// <summary>
/// <c>[drivers]</c> and <c>[[driver]]</c>: every value as written, and every mistake reported at its line and column
/// in <see cref="ApplianceConfig.DriverErrors"/>, which keeps the drivers from starting while the rest of the
/// configuration, the data path, stays valid.
/// </summary>
public sealed class DriversConfigTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "appliance-drivers-config-" + Guid.NewGuid().ToString("N"));

    public DriversConfigTests() => Directory.CreateDirectory(Path.Combine(_dir, "sensors"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ADriverSectionCarriesEveryValueAsWritten()
    {
        ApplianceConfig config = Load($"""
            [drivers]
            mode = "secure-channel"
            allow_breach = true
            allowlist = ["10.0.0.50:502", "[fd00::50]:502"]
            audit_log = "audit/audit.log"
            audit_max_size = "64KiB"
            audit_keep = 2

            [[driver]]
            name = "rig-7"
            module = "sensor-driver-attacker"
            root = "sensors"
            interval = "250ms"
            fuel = 1_000_000
            memory_pages = 8
            max_read = "4KiB"
            max_connections = 1
            bytes_per_connection = "1KiB"
            bytes_per_minute = "2KiB"
            """);

        Assert.Empty(config.DriverErrors);
        DriversConfig drivers = config.Drivers;
        Assert.Equal((PolicyMode.SecureChannel, true, Path.Combine(_dir, "audit/audit.log"), 64L << 10, 2), (drivers.Mode, drivers.AllowBreach, drivers.AuditLog, drivers.AuditMaxBytes, drivers.AuditKeep));
        Assert.Equal(["10.0.0.50:502", "[fd00::50]:502"], drivers.Allowlist.Select(endpoint => endpoint.ToString()));
        Assert.Equal(
            new DriverConfig("rig-7", "sensor-driver-attacker", Path.Combine(_dir, "sensors"), TimeSpan.FromMilliseconds(250), 1_000_000, 8, 4096, 1, 1024, 2048),
            Assert.Single(drivers.Drivers));
    }

    [Fact]
    public void WithoutDriverSectionsThereAreNoDriversAndTheDataDiode()
    {
        ApplianceConfig config = Load("");

        Assert.Empty(config.Drivers.Drivers);
        Assert.Equal(PolicyMode.DataDiode, config.Drivers.Mode);
        Assert.Empty(config.DriverErrors);
    }

    [Theory]
    [InlineData("10.0.0.50:5020x", "3:14: drivers.allowlist: \"10.0.0.50:5020x\" is not an exact endpoint: it holds 'x'")]
    [InlineData("010.0.0.50:502", "3:14: drivers.allowlist: \"010.0.0.50:502\" is not an exact endpoint: the address must be four decimal numbers 0-255 without leading zeros")]
    [InlineData("10.0.0.500:502", "3:14: drivers.allowlist: \"10.0.0.500:502\" is not an exact endpoint: the address must be four decimal numbers")]
    [InlineData("plc.local:502", "3:14: drivers.allowlist: \"plc.local:502\" is not an exact endpoint: it holds 'p'")]
    [InlineData("10.0.0.50", "3:14: drivers.allowlist: \"10.0.0.50\" is not an exact endpoint: it has no port")]
    [InlineData("10.0.0.50:502 10.0.0.66:443", "3:14: drivers.allowlist: \"10.0.0.50:502 10.0.0.66:443\" is not an exact endpoint: it holds '\\u0020'")]
    public void AnAllowlistEntryThatIsNotAnExactEndpointIsADriverErrorOnly(string entry, string expected)
    {
        ConfigLoadResult result = Parse($"""
            [drivers]
            mode = "secure-channel"
            allowlist = ["{entry}"]
            """);

        Assert.True(result.IsValid, "the data path's configuration must stay valid");
        ConfigDiagnostic error = Assert.Single(result.Config.DriverErrors);
        Assert.StartsWith(expected, $"{error.Line}:{error.Column}: {error.Message}", StringComparison.Ordinal);
        Assert.Same(DriversConfig.None, result.Config.Drivers);
    }

    [Theory]
    [InlineData("[drivers]\nmode = \"breach\"\n", "2:8: drivers.mode = \"breach\" lets drivers reach any endpoint; it is refused unless allow_breach = true is written too")]
    [InlineData("[drivers]\nmode = \"open\"\n", "2:8: drivers.mode must be one of \"data-diode\", \"secure-channel\", \"lockdown\", \"breach\", not \"open\"")]
    [InlineData("[drivers]\nmod = \"lockdown\"\n", "2:1: unknown key \"mod\" in [drivers]; did you mean \"mode\"?")]
    [InlineData("[drivers]\nallowlist = [\"10.0.0.50:502\", \"10.0.0.50:502\"]\n", "2:31: drivers.allowlist names 10.0.0.50:502 twice")]
    [InlineData("[[driver]]\nname = \"d\"\nmodule = \"sensor-driver-demo\"\nroot = \"nowhere\"\n", "4:8: driver.root: directory")]
    [InlineData("[[driver]]\nname = \"d\"\nmodule = \"sensor-driver-demo\"\n", "1:1: driver.root is missing for driver \"d\"")]
    [InlineData("[[driver]]\nname = \"d\"\nmodule = \"vendor-thing\"\nroot = \"sensors\"\n", "3:10: driver.module \"vendor-thing\" is neither a built-in driver")]
    [InlineData("[[driver]]\nname = \"d\"\nmodule = \"missing.wasm\"\nroot = \"sensors\"\n", "3:10: driver.module: file")]
    [InlineData("[[driver]]\nname = \"d\"\nmodule = \"sensor-driver-demo\"\nroot = \"sensors\"\ninterval = \"1ms\"\n", "5:12: driver.interval \"1ms\" must be at least 100ms")]
    [InlineData("[trust]\nkeys = [\"vendor.pub\"]\n", "2:9: trust.keys: ")]
    [InlineData("[trust]\nkey = []\n", "2:1: unknown key \"key\" in [trust]; did you mean \"keys\"?")]
    public void EachDriverMistakeIsReportedAtItsPlaceAndTheDataPathStaysValid(string text, string expected)
    {
        ConfigLoadResult result = Parse(text);

        Assert.True(result.IsValid, string.Join('\n', result.Errors));
        ConfigDiagnostic error = Assert.Single(result.Config.DriverErrors);
        Assert.StartsWith(expected, $"{error.Line}:{error.Column}: {error.Message}", StringComparison.Ordinal);
        Assert.Equal("test.toml", error.File);
    }

    [Fact]
    public void ADriverMayNotTakeADevicesNameOrAnotherDriversName()
    {
        ConfigLoadResult result = Parse("""
            [[device]]
            name = "plc"
            host = "127.0.0.1"
            [[device.group]]
            name = "g"
            [[device.group.tag]]
            name = "t"
            address = 0
            [[driver]]
            name = "plc"
            module = "sensor-driver-demo"
            root = "sensors"
            [[driver]]
            name = "plc"
            module = "sensor-driver-demo"
            root = "sensors"
            """);

        Assert.True(result.IsValid);
        Assert.Contains(result.Config.DriverErrors, error => error.Line == 10 && error.Message.StartsWith("driver \"plc\" has the name of a [[device]]", StringComparison.Ordinal));
        Assert.Contains(result.Config.DriverErrors, error => error.Line == 14 && error.Message.Contains("already used at line 10", StringComparison.Ordinal));
    }

    [Fact]
    public void TrustedKeysAndTheVersionFileAreFullPaths()
    {
        File.WriteAllText(Path.Combine(_dir, "vendor.pub"), "-----BEGIN PUBLIC KEY-----\n");

        ApplianceConfig config = Load("[trust]\nkeys = [\"vendor.pub\"]\nversions = \"state/versions.json\"\n");

        Assert.Equal(new TrustConfig([Path.Combine(_dir, "vendor.pub")], Path.Combine(_dir, "state/versions.json")) with { Keys = config.Trust.Keys }, config.Trust);
        Assert.Equal([Path.Combine(_dir, "vendor.pub")], config.Trust.Keys);
    }

    [Fact]
    public void TheExamplesCommentedBoardIsValidWhenUncommented()
    {
        string example = ExampleConfig.Text;
        int start = example.IndexOf("# [board]", StringComparison.Ordinal);
        string board = string.Join('\n', example[start..].Split('\n').TakeWhile(line => line.StartsWith("# ", StringComparison.Ordinal)).Select(line => line[2..]));

        BoardConfig parsed = Load(board).Board!;

        Assert.Equal((TimeSpan.FromSeconds(5), "/run/appliance/board"), (parsed.Interval, parsed.ExportDirectory));
        Assert.Equal(new Bme280Config("cabinet", 1, 0x76), parsed.Bme280);
        Assert.Equal(new Dht22Config("cabinet_dht", "/sys/bus/iio/devices/iio:device0"), parsed.Dht22);
        Assert.Equal([new Ds18b20Config("inlet", "/sys/bus/w1/devices/28-0316a1b2c3d4")], parsed.Ds18b20);
        Assert.Equal(
            [new RelayConfig("beacon", 0, 23, ActiveLow: true, "alarm", SafeOn: false), new RelayConfig("uplink", 0, 24, ActiveLow: true, "uplink-isolate", SafeOn: false)],
            parsed.Relays);
        Assert.Equal(new OledConfig(1, 0x3C, 64, TimeSpan.FromSeconds(4)), parsed.Oled);
        Assert.Null(Load("").Board); // absent: no hardware
        Assert.Null(Load("[board]\n").Board!.Oled); // no display unless configured
    }

    [Fact]
    public void EachSensorMayHaveItsOwnInterval()
    {
        BoardConfig board = Load("[board]\ninterval = \"10s\"\n[board.bme280]\ninterval = \"2s\"\n[board.dht22]\n[[board.ds18b20]]\nname = \"inlet\"\ndevice = \"/x\"\ninterval = \"1m\"\n").Board!;

        Assert.Equal((TimeSpan.FromSeconds(2), (TimeSpan?)null, TimeSpan.FromMinutes(1)), (board.Bme280!.Interval!.Value, board.Dht22!.Interval, board.Ds18b20[0].Interval!.Value));
    }

    [Theory]
    [InlineData("[board.bme280]\naddress = 0x78\n", "2:11: board.bme280.address must be 0x76 (SDO to ground) or 0x77 (SDO to VDDIO), not 0x78")]
    [InlineData("[[board.ds18b20]]\nname = \"inlet\"\n", "1:1: board.ds18b20.device is missing for \"inlet\"")]
    [InlineData("[board]\ninterval = \"10ms\"\n", "2:12: board.interval \"10ms\" must be at least 1s")]
    [InlineData("[[board.relay]]\nname = \"beacon\"\n", "1:1: board.relay.line is missing for \"beacon\"")]
    [InlineData("[[board.relay]]\nname = \"a\"\nline = 23\n[[board.relay]]\nname = \"b\"\nline = 23\n", "6:8: board.relay.line 23 of chip 0 is already a relay")]
    [InlineData("[[board.relay]]\nname = \"a\"\nline = 23\nrole = \"beacon\"\n", "4:8: board.relay.role must be one of \"alarm\", \"uplink-isolate\", \"manual\", not \"beacon\"")]
    [InlineData("[board.oled]\naddress = 0x3E\n", "2:11: board.oled.address must be 0x3C (SA0 to ground, most modules) or 0x3D, not 0x3e")]
    [InlineData("[board.oled]\nheight = 48\n", "2:10: board.oled.height must be 64 (a 128x64 module) or 32 (128x32), not 48")]
    [InlineData("[board.oled]\nrotate = \"100ms\"\n", "2:10: board.oled.rotate \"100ms\" must be at least 1s")]
    [InlineData("[board.oled]\ncontrast = 3\n", "2:1: unknown key \"contrast\" in [board.oled]")]
    [InlineData("[board.dht22]\ninterval = \"1s\"\n", "2:12: board.dht22.interval \"1s\" must be at least 2s")]
    [InlineData("[[board.ds18b20]]\nname = \"inlet\"\ndevice = \"/x\"\ninterval = \"0s\"\n", "4:12: board.ds18b20.interval \"0s\" must be at least 1s")]
    public void BoardMistakesAreReportedAtTheirPlace(string text, string expected)
    {
        ConfigLoadResult result = Parse(text);

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, error => $"{error.Line}:{error.Column}: {error.Message}".StartsWith(expected, StringComparison.Ordinal));
    }

    /// <summary>The example shows [[driver]] commented out (there is none by default); uncommented, it is a valid driver.</summary>
    [Fact]
    public void TheExamplesCommentedDriverIsValidWhenUncommented()
    {
        string example = ExampleConfig.Text;
        int start = example.IndexOf("# [[driver]]", StringComparison.Ordinal);
        string driver = string.Join('\n', example[start..].Split('\n').TakeWhile(line => line.StartsWith("# ", StringComparison.Ordinal)).Select(line => line[2..]))
            .Replace("/run/appliance/sensors/rig-7", "sensors", StringComparison.Ordinal);

        ApplianceConfig config = Load(driver);

        Assert.Equal(new DriverConfig("pressure", "sensor-driver-demo", Path.Combine(_dir, "sensors"), TimeSpan.FromSeconds(1), 50_000_000, 32, 64 << 10, 4, 64 << 10, 256 << 10), Assert.Single(config.Drivers.Drivers));
    }

    private ConfigLoadResult Parse(string text) => ConfigLoader.Parse(Encoding.UTF8.GetBytes(text), "test.toml", _dir);

    private ApplianceConfig Load(string text)
    {
        ConfigLoadResult result = Parse(text);
        Assert.True(result.IsValid, string.Join('\n', result.Errors));
        return result.Config;
    }
}
