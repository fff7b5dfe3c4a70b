using System.Text.RegularExpressions;
using Appliance.Testing;
using Appliance.Tests.Vm;
using Xunit.Abstractions;

namespace Appliance.Tests.Image;

/// <summary>
/// The appliance's image booted (<c>image/build amd64 --test</c>: the product image plus the test layer, mosquitto and
/// the PLC simulator as units and the scenario <c>image/test/rootfs/usr/libexec/appliance-test/scenario</c>) in QEMU
/// through tests/vm/boot, with no network device. Before the boot the test puts an appliance.toml with mistakes on the
/// image's FAT partition, as a technician's laptop would; the scenario reports what became of it and of a valid one
/// put there afterwards, and this test decides.
/// </summary>
[Collection(OneVmAtATime.Name)]
public sealed partial class ImageBootTests(Amd64TestImage image, ITestOutputHelper output) : IClassFixture<Amd64TestImage>
{
    /// <summary>Under TCG (no usable KVM here) the boot takes about a minute; KVM a few seconds.</summary>
    private static readonly TimeSpan BootTimeout = TimeSpan.FromMinutes(6);

    [Fact]
    public async Task TheApplianceRunsPublishesAndKeepsItsLastGoodConfigurationWhenABadOneIsRefused()
    {
        ImageBuild build = image.Build;
        output.WriteLine($"image/build amd64 --test took {build.Took.TotalSeconds:F1} s:\n{build.Log}");
        PartitionTable table = await PartitionTable.ReadAsync(build.Image);
        await PutOnBootPartitionAsync(table.Fat(build.Image, 1), "appliance.toml", await InvalidConfigurationAsync());

        VmBoot vm = await VmBoot.RunSystemAsync(build.System, BootTimeout);
        output.WriteLine($"the boot took {vm.Took.TotalSeconds:F1} s (power-off included); {vm.Stderr}");
        output.WriteLine(vm.Console);

        Assert.True(vm.ScenarioExit == 0, $"the scenario did not finish; the console:\n{vm.Console}");
        Assert.Equal("Standard PC (Q35 + ICH9, 2009)", vm["model"]); // QEMU's q35
        // Started as on an x86-64 box: UEFI firmware, the image's systemd-boot, slot A's entry.
        Assert.Matches(@"^systemd-boot \S+ appliance-a\.conf$", vm["boot-loader"]);
        // Booted and settled; the only failed unit is the import that refused the file.
        Assert.Equal("degraded", vm["system"]);
        Assert.Equal("appliance-config-import.service", vm["failed-units"]);

        Assert.Equal("lo", vm["links"]); // no network device: nothing inside reaches anything outside

        // The service: Type=notify (active means READY=1 came), watchdog and restart policy, hardening.
        Assert.Equal("Type=notify|Restart=always|WatchdogUSec=30s|NRestarts=0|ActiveState=active|SubState=running", vm["appliance"]);
        Assert.Equal("CapEff: 0000000000000001|CapBnd: 0000000000000001|NoNewPrivs: 1", vm["capabilities"]); // CAP_CHOWN alone
        Assert.Equal("root:appliance-console 660", vm["socket"]);
        Assert.Matches(@"^appliance \S+ \(linux-x64, .*\) \.\./lib/appliance/appliance$", vm["product"]); // through the link
        // systemd owns the hardware watchdog: q35's iTCO watchdog here, bcm2835_wdt on the Pi.
        Assert.StartsWith("15s /dev/watchdog", vm["watchdog"], StringComparison.Ordinal);

        // The layout: the root read-only from slot A, the boot partition (FAT) and the data partition writable.
        Assert.Equal("/ /dev/vda2 ext4 ro|/boot/firmware /dev/vda1 vfat rw|/var/lib/appliance /dev/vda4 ext4 rw", vm["mounts"]);
        Assert.Contains("appliance.toml", vm["data"].Split('|'));
        Assert.Contains("spool.db", vm["data"].Split('|'));
        Assert.Equal("firstboot: /var/lib/appliance prepared with the default configuration", vm["firstboot"]); // nothing to grow: the disk is the image

        // The data path: the simulator polled, the message on the broker, from the default configuration.
        Assert.Matches(@"^appliance/appliance/plc-1/process \{.*""seq"":", vm["telemetry"]);

        // The refused file: the import failed with 2, its errors beside it (FILE:LINE:COL), the marker, the status,
        // and the default configuration still the active one.
        Assert.Equal("Result=exit-code|ExecMainStatus=2", vm["import-unit"]);
        Assert.Matches(
            @"^/boot/firmware/appliance\.toml:\d+:\d+: device\.group\.interval ""0s"" must be at least 10ms\|"
            + @"/boot/firmware/appliance\.toml:\d+:\d+: unknown key ""brokr"" in \[mqtt\]; did you mean ""broker""\?$",
            vm["errors-file"]);
        Assert.Equal("present", vm["refused-marker"]);
        Assert.Contains("brokr", vm["status-refused"], StringComparison.Ordinal);
        Assert.Equal("id = \"appliance\"", vm["active-node"]);

        // The consoles: tty1 and the serial console run the appliance's console for the console user, and the serial
        Assert.Equal("console tty1|console ttyS0", vm["consoles"]);
        // line shows it, attached to the daemon (the Overview screen's voter lanes come from the daemon's status).
        Assert.Contains(" APPLIANCE ", vm.Console, StringComparison.Ordinal);
        Assert.Contains("Overview", vm.Console, StringComparison.Ordinal);
        Assert.Contains(" Voter lanes ", vm.Console, StringComparison.Ordinal);

        // The clock: systemd-timesyncd runs (with its defaults: the default configuration names no servers).
        Assert.Equal("active success", vm["timesync"]);
        Assert.Equal("\"clock_synchronized\":false", vm["clock"]); // no time server answers in the VM: the status says so

        // A valid file put there afterwards is imported as at the next boot, the refusal's traces go, the new one runs,
        // and its time servers are systemd-timesyncd's.
        Assert.StartsWith("Result=success|ExecMainStatus=0 /boot/firmware/appliance.toml: valid: imported as", vm["import-valid"], StringComparison.Ordinal);
        Assert.Equal("absent", vm["errors-file-after"]);
        Assert.Equal("absent", vm["refused-marker-after"]);
        Assert.Matches(@"^appliance/image-test/plc-1/process \{.*""seq"":", vm["telemetry-after"]);
        Assert.Equal("ntp.plant.example 127.0.0.1", vm["timesync-after"]);
        Assert.Equal("none", vm["status-refused-after"]);
        Assert.DoesNotMatch(KernelTrouble(), vm.Console);
    }

    /// <summary>The example configuration with two mistakes a technician might make: a misspelt key, an interval of 0.</summary>
    private static async Task<string> InvalidConfigurationAsync()
    {
        (int exit, string example, string error) = await Product.RunAsync("config", "example");
        Assert.True(exit == 0, error);
        return example
            .ReplaceExactly("broker = \"mqtt://127.0.0.1:1883\"", "brokr = \"mqtt://127.0.0.1:1883\"")
            .ReplaceExactly("interval = \"1s\"", "interval = \"0s\"");
    }

    private static async Task PutOnBootPartitionAsync(string fat, string name, string content)
    {
        using var directory = new TempDirectory();
        string file = directory.File(name, content);
        (int code, _, string error) = await ChildProcess.RunAsync("mcopy", "-o", "-i", fat, file, "::" + name);
        Assert.True(code == 0, $"mcopy onto {fat}: {error}");
    }

    [GeneratedRegex(@"Kernel panic|Oops|BUG:|emergency mode|Failed to mount")]
    private static partial Regex KernelTrouble();
}
