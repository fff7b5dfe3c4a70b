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
        await using Watched watched = await Watched.StartAsync(seed: 5);
        RunningGateway gateway = watched.Gateway;
        Assert.NotNull(gateway.Host.Watchdog);
        await gateway.UntilAsync(() => watched.Kicks >= 2, "the healthy gateway kicked the watchdog twice");

        // One poll group hangs at its spool write: after its deadline the kicks stop.
        long stopped;
        using (HangAtSink(gateway.Group("process")))
        {
            await gateway.UntilAsync(() => gateway.Host.Watchdog!.Problem(TimeProvider.System) is not null, "the hang was seen", TimeSpan.FromSeconds(90));
            await gateway.UntilAsync(() => gateway.Log.ToString().Contains("UNHEALTHY: poll group plc-1/process stored no message", StringComparison.Ordinal), "the keeper logged it");
            stopped = watched.Kicks;
            await Task.Delay(TimeSpan.FromSeconds(2.5)); // more than two kick intervals: the span observed, not a wait for an event
            Assert.Equal(stopped, watched.Kicks);
            Assert.Single(gateway.Log.ToString().Split('\n'), line => line.Contains("UNHEALTHY:", StringComparison.Ordinal)); // once, not at every check
        }

        await gateway.UntilAsync(() => watched.Kicks > stopped, "kicked again once healthy");

        await gateway.StopAsync();
        Assert.Equal((byte)'V', File.ReadAllBytes(watched.Device)[^1]);
    }

    [Fact]
    public async Task AFaultARestartCannotFixLeavesTheWatchdogArmedSoTheMachineResets()
    {
        await using Watched watched = await Watched.StartAsync(seed: 6);
        RunningGateway gateway = watched.Gateway;

        await gateway.Host.Spool!.DisposeAsync(); // the spool gone under the running gateway: unrecoverable
        GatewayStop stopped = await gateway.Running.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.False(stopped.IsClean);
        Assert.NotEqual((byte)'V', File.ReadAllBytes(watched.Device)[^1]);
        Assert.Contains("is left armed after a fault a restart cannot fix", gateway.Log.ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// The wall clock set forward by a year (NTP's first sync on a Pi) is no hang: the kicks go on. Set back by a day, a
    /// real hang is still seen after its deadline (measured on the wall clock, the hung group would look fresh for a day).
    /// </summary>
    [Fact]
    public async Task AWallClockThatJumpsNeitherLooksLikeAHangNorHidesOne()
    {
        var clock = new JumpingWallClock();
        await using Watched watched = await Watched.StartAsync(seed: 7, clock);
        RunningGateway gateway = watched.Gateway;

        clock.Jump = TimeSpan.FromDays(365);
        long before = watched.Kicks;
        await gateway.UntilAsync(() => watched.Kicks >= before + 3, "three kicks after the jump forward");
        Assert.DoesNotContain("UNHEALTHY", gateway.Log.ToString(), StringComparison.Ordinal);

        clock.Jump = TimeSpan.FromDays(-1);
        using (HangAtSink(gateway.Group("process")))
        {
            await gateway.UntilAsync(() => gateway.Log.ToString().Contains("UNHEALTHY: poll group plc-1/process stored no message", StringComparison.Ordinal), "the hang was seen after the jump back", TimeSpan.FromSeconds(90));
        }

        await gateway.StopAsync();
    }

    /// <summary>Makes <paramref name="group"/> hang at its spool write until the result is disposed.</summary>
    private static Release HangAtSink(GroupPoller group)
    {
        var release = new ManualResetEventSlim();
        group.FaultProbe = at => _ = at == PathStage.Sink && release.Wait(TimeSpan.FromMinutes(2)) ? 0 : 0;
        return new Release(() =>
        {
            group.FaultProbe = null;
            release.Set();
            release.Dispose();
        });
    }

    private sealed class Release(Action release) : IDisposable
    {
        public void Dispose() => release();
    }

    /// <summary>
    /// A gateway against a test PLC whose watchdog device is a plain file (each kick a byte), with a 3 s timeout, once
    /// it has kicked the watchdog.
    /// </summary>
    private sealed class Watched : IAsyncDisposable
    {
        private readonly PlcSimulator _simulator;

        private Watched(PlcSimulator simulator, RunningGateway gateway, string device)
        {
            _simulator = simulator;
            Gateway = gateway;
            Device = device;
        }

        public RunningGateway Gateway { get; }

        public string Device { get; }

        public long Kicks => new FileInfo(Device).Length;

        public static async Task<Watched> StartAsync(int seed, TimeProvider? time = null)
        {
            var simulator = new PlcSimulator(new PlcSimulatorOptions { Seed = seed });
            simulator.Start();
            string device = "";
            RunningGateway gateway = RunningGateway.Start(
                simulator.Port,
                prepare: directory => File.WriteAllBytes(device = Path.Combine(directory, "watchdog"), []),
                edit: text => text.ReplaceExactly("device = \"\"", $"device = \"{Path.Combine(Path.GetDirectoryName(device)!, "watchdog")}\"").ReplaceExactly("timeout = \"15s\"", "timeout = \"3s\""),
                time: time);
            var watched = new Watched(simulator, gateway, device);
            await gateway.UntilAsync(() => watched.Kicks >= 1, "the watchdog was kicked");
            return watched;
        }

        public async ValueTask DisposeAsync()
        {
            await Gateway.DisposeAsync();
            await _simulator.DisposeAsync();
        }
    }
}
