using System.Text.Json;
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
}
