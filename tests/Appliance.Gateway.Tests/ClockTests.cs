using System.Text.Json;
using Appliance.Board.Display;
using Appliance.Modbus.Simulator;
using Appliance.Testing;

namespace Appliance.Gateway.Tests;

/// <summary>
/// The clock of a Pi, which has no real-time clock: the status says whether NTP has set it, since every message's
/// <c>ts</c> depends on it. (Durations do not depend on it: the watchdog's and the display's tests jump the wall clock.)
/// </summary>
public sealed class ClockTests
{
    /// <summary>The status says whether the clock is set by NTP, from systemd-timesyncd's runtime folder.</summary>
    [Fact]
    public async Task TheStatusSaysWhetherTheClockIsSetByNtp()
    {
        await using var simulator = new PlcSimulator(new PlcSimulatorOptions { Seed = 15 });
        simulator.Start();
        using var runtime = new TempDirectory();
        string timesyncd = Path.Combine(runtime.Path, "timesync");
        await using var gateway = RunningGateway.Start(simulator.Port, timesyncdRuntime: timesyncd);
        JsonElement Clock() => JsonDocument.Parse(gateway.Host.DataPath.Status()).RootElement.GetProperty("clock_synchronized");

        Assert.Equal(JsonValueKind.Null, Clock().ValueKind); // no timesyncd: unknown
        Directory.CreateDirectory(timesyncd);
        Assert.Equal(JsonValueKind.False, Clock().ValueKind); // running, not yet synchronised
        File.WriteAllBytes(Path.Combine(timesyncd, "synchronized"), []);
        Assert.Equal(JsonValueKind.True, Clock().ValueKind);
    }

    /// <summary>The OLED's NETWORK page says it too, under the node's name.</summary>
    [Fact]
    public async Task TheDisplaySaysWhetherTheClockIsSetByNtp()
    {
        await using var simulator = new PlcSimulator(new PlcSimulatorOptions { Seed = 16 });
        simulator.Start();
        using var runtime = new TempDirectory();
        string timesyncd = Directory.CreateDirectory(Path.Combine(runtime.Path, "timesync")).FullName;
        var panel = new Ssd1306Emulator(64);
        await using var gateway = RunningGateway.Start(simulator.Port, "\n[board]\ninterval = \"1h\"\n[board.oled]\nrotate = \"1s\"\n", i2c: _ => panel, timesyncdRuntime: timesyncd);
        string NetworkRow() => DisplayText.Row(panel.Visible(), 0, inverted: true).StartsWith("NETWORK ", StringComparison.Ordinal) ? DisplayText.Row(panel.Visible(), 16) : "";

        await gateway.UntilAsync(() => NetworkRow() == "clock NOT set by NTP", "the NETWORK page says the clock is not set");
        File.WriteAllBytes(Path.Combine(timesyncd, "synchronized"), []);
        await gateway.UntilAsync(() => NetworkRow() == "clock set by NTP", "the NETWORK page says the clock is set");
    }
}
