using System.Globalization;
using Appliance.Testing;
using Xunit.Abstractions;

namespace Appliance.Tests.Vm;

/// <summary>
/// The health-gated watchdog on a real Linux kernel (tests/vm): the published appliance, standalone in a Debian VM,
/// opens softdog as <c>/dev/watchdog</c> with a 5 s timeout and polls the built-in PLC simulator on 127.0.0.1 into a
/// spool on a small tmpfs (<c>watchdog.sh</c> observes; this decides). Healthy it keeps the machine up and a clean
/// stop disarms the watchdog; made unhealthy (its spool cannot store) or frozen, it stops kicking and the kernel resets
/// the machine, which QEMU (-no-reboot) ends on.
/// </summary>
[Collection(OneVmAtATime.Name)]
public sealed class WatchdogVmTests(VmSystem system, ITestOutputHelper output)
{
    private const int Timeout = 5; // seconds: [watchdog] timeout (3 s is the shortest allowed; 5 s leaves room for a VM under emulation on a busy machine)

    [Fact]
    public async Task HealthyItKeepsTheMachineUpAndACleanStopDisarmsTheWatchdog()
    {
        VmBoot vm = await RunAsync("healthy");

        Assert.True(vm.ScenarioExit == 0 && !vm.WasResetByWatchdog, $"the healthy VM did not power off cleanly; the console:\n{vm.Console}");
        // The appliance set softdog's timeout (its default is 60 s) and armed it; three timeouts passed without a reset.
        Assert.Equal($"Software Watchdog timeout={Timeout} state=active", vm["watchdog"]);
        Assert.Equal(Seconds(3 * Timeout), vm["alive-after"]);
        Assert.Matches(@"^\d+ spool\.db", vm["spool"]); // the polls were stored
        // SIGTERM: exit 0 with the magic close, the watchdog inactive, and two more timeouts without a reset.
        Assert.Equal("0", vm["exit-term"]);
        Assert.Equal("state=inactive", vm["watchdog-after-stop"]);
        Assert.Equal(Seconds(2 * Timeout), vm["alive-after-stop"]);
        Assert.DoesNotContain("softdog: Initiating system reboot", vm.Console, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnhealthyBecauseNothingCanBeStoredItStopsKickingAndTheMachineResets()
    {
        VmBoot vm = await RunAsync("unhealthy");

        Assert.True(vm.WasResetByWatchdog, $"the VM was not reset by softdog; the console:\n{vm.Console}");
        Assert.Equal($"Software Watchdog timeout={Timeout} state=active", vm["watchdog"]);
        Assert.Equal(Seconds(3 * Timeout), vm["alive-after"]); // healthy first: no reset
        // The spool's file system full: no poll group stores, the appliance says why, still running, and the
        // machine resets before the scenario's 30 s are up.
        Assert.EndsWith(" 0", vm["spool-full"], StringComparison.Ordinal);
        Assert.Contains("UNHEALTHY: poll group plc-1/process stored no message", vm["unhealthy-at"], StringComparison.Ordinal);
        Assert.Matches("^[RS]", vm["appliance-running"]);
        Assert.False(vm.Has("alive-after-fault"), $"30 s passed without a reset; the console:\n{vm.Console}");
        double unhealthyAt = double.Parse(vm["unhealthy-at"].Split(' ')[0], CultureInfo.InvariantCulture);
        output.WriteLine($"unhealthy at {unhealthyAt:F2} s, reset at {vm.SoftdogFiredAt:F2} s of uptime ({vm.SoftdogFiredAt - unhealthyAt:F2} s later)");
        Assert.True(vm.SoftdogFiredAt > unhealthyAt, $"the reset came before the appliance was unhealthy; the console:\n{vm.Console}");
    }

    [Fact]
    public async Task FrozenItStopsKickingAndTheMachineResets()
    {
        VmBoot vm = await RunAsync("hang");

        Assert.True(vm.WasResetByWatchdog, $"the VM was not reset by softdog; the console:\n{vm.Console}");
        Assert.Equal($"Software Watchdog timeout={Timeout} state=active", vm["watchdog"]);
        Assert.Equal(Seconds(3 * Timeout), vm["alive-after"]);
        Assert.Matches(@"^\d+\.\d+ T", vm["stopped-at"]); // SIGSTOP: the process is stopped, not gone
        Assert.False(vm.Has("alive-after-fault"), $"30 s passed without a reset; the console:\n{vm.Console}");
        double stoppedAt = double.Parse(vm["stopped-at"].Split(' ')[0], CultureInfo.InvariantCulture);
        output.WriteLine($"frozen at {stoppedAt:F2} s, reset at {vm.SoftdogFiredAt:F2} s of uptime ({vm.SoftdogFiredAt - stoppedAt:F2} s later)");
        Assert.True(vm.SoftdogFiredAt > stoppedAt, $"the reset came before the appliance was frozen; the console:\n{vm.Console}");
    }

    private static string Seconds(int seconds) => seconds.ToString(CultureInfo.InvariantCulture);

    private async Task<VmBoot> RunAsync(string mode)
    {
        output.WriteLine($"VM system {system.Path}, ready in {system.ReadyIn.TotalSeconds:F1} s");
        (int exit, string example, string error) = await Product.RunAsync("config", "example");
        Assert.True(exit == 0, error);
        // The example's device is the simulator's map on 127.0.0.1:5020; polled every 200 ms with a 1 s request
        // timeout, a poll group is unhealthy 11.2 s after its last stored message. No broker: the spool keeps everything.
        string config = example
            .ReplaceExactly("interval = \"1s\"", "interval = \"200ms\"")
            .ReplaceExactly("device = \"\"", "device = \"/dev/watchdog\"")
            .ReplaceExactly("timeout = \"15s\"", $"timeout = \"{Timeout}s\"")
            .ReplaceExactly("/var/lib/appliance/policy-mode", "/tmp/policy-mode")
            .ReplaceExactly("/var/lib/appliance/audit.log", "/tmp/audit.log");
        Dictionary<string, string> files = new() { ["watchdog.toml"] = config, ["mode"] = mode + "\n" };
        VmBoot vm = await VmBoot.RunAsync(Path.Combine(Repository.Root, "tests", "Appliance.Tests", "Vm", "watchdog.sh"), files, TimeSpan.FromMinutes(2));
        output.WriteLine($"the watchdog scenario ({mode}) took {vm.Took.TotalSeconds:F1} s (boot included)");
        output.WriteLine(vm.Console);
        return vm;
    }
}
