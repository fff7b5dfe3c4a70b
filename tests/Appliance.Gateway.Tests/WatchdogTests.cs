using Appliance.Gateway.Polling;
using Appliance.Modbus.Simulator;
using Appliance.Testing;

namespace Appliance.Gateway.Tests;

/// <summary>
/// The health-gated watchdog on a whole gateway, with a plain file standing in for the watchdog device (each kick is a
/// byte; the real device in a VM is the board issue's VM test): kicked while every poll group stores its messages,
/// not kicked while one hangs, kicked again once it recovers, and disarmed with the magic 'V' at a clean stop.
/// </summary>
public sealed class WatchdogTests
{
    [Fact]
    public async Task KickedOnlyWhileHealthyAndDisarmedAtACleanStop()
    {
        await using var simulator = new PlcSimulator(new PlcSimulatorOptions { Seed = 5 });
        simulator.Start();
        (RunningGateway started, string device) = WithFileWatchdog(simulator.Port);
        await using RunningGateway gateway = started;
        Assert.NotNull(gateway.Host.Watchdog);
        await gateway.UntilAsync(() => new FileInfo(device).Length >= 2, "the healthy gateway kicked the watchdog twice");

        // One poll group hangs at its spool write: after its deadline the kicks stop.
        using var release = new ManualResetEventSlim();
        GroupPoller group = gateway.Group("process");
        group.FaultProbe = at => _ = at == PathStage.Sink && release.Wait(TimeSpan.FromMinutes(2)) ? 0 : 0;
        await gateway.UntilAsync(() => gateway.Host.Watchdog!.Problem(TimeProvider.System) is not null, "the hang was seen", TimeSpan.FromSeconds(90));
        await gateway.UntilAsync(() => gateway.Log.ToString().Contains("UNHEALTHY: poll group plc-1/process stored no message", StringComparison.Ordinal), "the keeper logged it");
        long stopped = new FileInfo(device).Length;
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // more than two kick intervals: the span observed, not a wait for an event
        Assert.Equal(stopped, new FileInfo(device).Length);
        Assert.Single(gateway.Log.ToString().Split('\n'), line => line.Contains("UNHEALTHY:", StringComparison.Ordinal)); // once, not at every check

        group.FaultProbe = null;
        release.Set();
        await gateway.UntilAsync(() => new FileInfo(device).Length > stopped, "kicked again once healthy");

        await gateway.StopAsync();
        Assert.Equal((byte)'V', File.ReadAllBytes(device)[^1]);
    }

    [Fact]
    public async Task AFaultARestartCannotFixLeavesTheWatchdogArmedSoTheMachineResets()
    {
        await using var simulator = new PlcSimulator(new PlcSimulatorOptions { Seed = 6 });
        simulator.Start();
        (RunningGateway started, string device) = WithFileWatchdog(simulator.Port);
        await using RunningGateway gateway = started;
        await gateway.UntilAsync(() => new FileInfo(device).Length >= 1, "the watchdog was kicked");

        await gateway.Host.Spool!.DisposeAsync(); // the spool gone under the running gateway: unrecoverable
        GatewayStop stopped = await gateway.Running.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.False(stopped.IsClean);
        Assert.NotEqual((byte)'V', File.ReadAllBytes(device)[^1]);
        Assert.Contains("is left armed after a fault a restart cannot fix", gateway.Log.ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// The wall clock set forward by a year (NTP's first sync on a Pi) is no hang: the kicks go on. Set back by a day, a
    /// real hang is still seen after its deadline (measured on the wall clock, the hung group would look fresh for a day).
    /// </summary>
    [Fact]
    public async Task AWallClockThatJumpsNeitherLooksLikeAHangNorHidesOne()
    {
        await using var simulator = new PlcSimulator(new PlcSimulatorOptions { Seed = 7 });
        simulator.Start();
        var clock = new JumpingWallClock();
        (RunningGateway started, string device) = WithFileWatchdog(simulator.Port, clock);
        await using RunningGateway gateway = started;
        await gateway.UntilAsync(() => new FileInfo(device).Length >= 1, "the watchdog was kicked");

        clock.Jump = TimeSpan.FromDays(365);
        long before = new FileInfo(device).Length;
        await gateway.UntilAsync(() => new FileInfo(device).Length >= before + 3, "three kicks after the jump forward");
        Assert.DoesNotContain("UNHEALTHY", gateway.Log.ToString(), StringComparison.Ordinal);

        clock.Jump = TimeSpan.FromDays(-1);
        using var release = new ManualResetEventSlim();
        GroupPoller group = gateway.Group("process");
        group.FaultProbe = at => _ = at == PathStage.Sink && release.Wait(TimeSpan.FromMinutes(2)) ? 0 : 0;
        await gateway.UntilAsync(() => gateway.Log.ToString().Contains("UNHEALTHY: poll group plc-1/process stored no message", StringComparison.Ordinal), "the hang was seen after the jump back", TimeSpan.FromSeconds(90));

        group.FaultProbe = null;
        release.Set();
        await gateway.StopAsync();
    }

    /// <summary>A gateway whose watchdog device is a plain file (each kick a byte), with a 3 s timeout.</summary>
    private static (RunningGateway Gateway, string Device) WithFileWatchdog(int plcPort, TimeProvider? time = null)
    {
        string device = "";
        RunningGateway gateway = RunningGateway.Start(
            plcPort,
            prepare: directory => File.WriteAllBytes(device = Path.Combine(directory, "watchdog"), []),
            edit: text => text.ReplaceExactly("device = \"\"", $"device = \"{Path.Combine(Path.GetDirectoryName(device)!, "watchdog")}\"").ReplaceExactly("timeout = \"15s\"", "timeout = \"3s\""),
            time: time);
        return (gateway, device);
    }
}
