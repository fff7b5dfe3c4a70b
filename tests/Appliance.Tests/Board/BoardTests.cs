using System.Text.Json;
using Appliance.Testing;

namespace Appliance.Tests.Board;

/// <summary>
/// The published appliance with a <c>[board]</c> whose sysfs paths point at prepared directories (the kernel's w1_therm
/// and dht11 IIO formats): board telemetry with a reason per failed reading, the readings exported as files for the
/// drivers, a display that is not there (logged, retried, nothing else affected), and <c>appliance board probe</c>.
/// </summary>
public sealed class BoardTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _config;

    public BoardTests()
    {
        string sys = Path.Combine(_dir.Path, "sys");
        Directory.CreateDirectory(Path.Combine(sys, "w1", "28-000000000001"));
        Directory.CreateDirectory(Path.Combine(sys, "w1", "28-000000000002"));
        Directory.CreateDirectory(Path.Combine(sys, "iio:device0"));
        File.WriteAllText(Path.Combine(sys, "w1", "28-000000000001", "w1_slave"), "72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=23125\n");
        File.WriteAllText(Path.Combine(sys, "w1", "28-000000000002", "w1_slave"), "72 01 4b 46 7f ff 0e 10 57 : crc=12 NO\n72 01 4b 46 7f ff 0e 10 57 t=23125\n");
        File.WriteAllText(Path.Combine(sys, "iio:device0", "in_temp_input"), "24300\n");
        File.WriteAllText(Path.Combine(sys, "iio:device0", "in_humidityrelative_input"), "41700\n");
        _config = _dir.File("appliance.toml", $"""
            [board]
            interval = "1s"
            export_dir = "{Path.Combine(_dir.Path, "export")}"
            [board.dht22]
            name = "cabinet_dht"
            device = "{Path.Combine(sys, "iio:device0")}"
            [[board.ds18b20]]
            name = "inlet"
            device = "{Path.Combine(sys, "w1", "28-000000000001")}"
            [[board.ds18b20]]
            name = "outlet"
            device = "{Path.Combine(sys, "w1", "28-000000000002")}"
            [[board.ds18b20]]
            name = "unplugged"
            device = "{Path.Combine(sys, "w1", "28-000000000003")}"
            [board.oled]
            bus = 250
            height = 32
            """);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task TheBoardIsPublishedWithAReasonPerFailedReadingAndExportedForTheDrivers()
    {
        using ChildProcess gateway = Product.X64.Start("run", "--config", _config, "--console");
        string line = gateway.WaitForStdoutLine("appliance/gateway-01/board/sensors ");
        gateway.WaitForStderrLine("the display does not answer"); // no /dev/i2c-250: logged, the gateway goes on
        gateway.WaitForStdoutLine("appliance/gateway-01/board/sensors ");
        gateway.Signal(15);
        Assert.Equal(0, await gateway.WaitForExitAsync());

        JsonElement message = JsonDocument.Parse(line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..]).RootElement;
        Assert.Equal((1L, "board", "sensors", "bad"), (message.GetProperty("seq").GetInt64(), message.GetProperty("device").GetString(), message.GetProperty("group").GetString(), message.GetProperty("quality").GetString()));
        JsonElement values = message.GetProperty("values");
        Assert.Equal((24.3, 41.7, 23.125), (values.GetProperty("cabinet_dht_temperature").GetDouble(), values.GetProperty("cabinet_dht_humidity").GetDouble(), values.GetProperty("inlet").GetDouble()));
        JsonElement errors = message.GetProperty("errors");
        Assert.Equal(("crc-error", "missing"), (errors.GetProperty("outlet").GetString(), errors.GetProperty("unplugged").GetString()));
        Assert.Equal("%RH", message.GetProperty("units").GetProperty("cabinet_dht_humidity").GetString());
        Assert.Equal("23.125\n", File.ReadAllText(Path.Combine(_dir.Path, "export", "inlet")));
        Assert.False(File.Exists(Path.Combine(_dir.Path, "export", "outlet")));
    }

    [Fact]
    public async Task ProbeListsWhatIsConfiguredAndWhatEachSensorReads()
    {
        (int code, string output, _) = await Product.RunAsync("board", "probe", "--config", _config);

        Assert.Equal(1, code); // two readings and the display failed
        Assert.Contains("DHT22 (dht11 IIO driver,", output, StringComparison.Ordinal);
        Assert.Contains("  cabinet_dht_temperature = 24.3 degC", output, StringComparison.Ordinal);
        Assert.Contains("  inlet = 23.125 degC", output, StringComparison.Ordinal);
        Assert.Contains("  outlet: crc-error", output, StringComparison.Ordinal);
        Assert.Contains("  unplugged: missing", output, StringComparison.Ordinal);
        Assert.Contains("SSD1306 128x32 on /dev/i2c-250 at 0x3c\n  the display does not answer: ", output, StringComparison.Ordinal);
        Assert.Contains("3 checks failed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutABoardSectionThereIsNoBoard()
    {
        string plain = _dir.File("plain.toml", "[node]\nid = \"gw\"\n");

        (int code, string output, _) = await Product.RunAsync("board", "probe", "--config", plain);

        Assert.Equal((0, true), (code, output.Contains("no [board] section: no hardware is configured", StringComparison.Ordinal)));
    }
}
