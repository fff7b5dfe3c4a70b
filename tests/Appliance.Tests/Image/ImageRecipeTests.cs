using System.Text.RegularExpressions;
using Appliance.Testing;

namespace Appliance.Tests.Image;

/// <summary>
/// The image's recipe read as text, without building anything (the cheap check of the test command; the Pi image
/// itself is built and read by <see cref="PiImageTests"/> in image/test-raspi4b): the default configurations are valid
/// for the published binary and keep everything that must survive on the data partition, and the names the units,
/// the scripts, the Pi's boot settings and the partitions share agree.
/// </summary>
public sealed partial class ImageRecipeTests
{
    private static string ImageFile(params string[] path) => File.ReadAllText(Path.Combine([Repository.Root, "image", .. path]));

    [Theory]
    [InlineData("amd64")]
    [InlineData("pi4")]
    public async Task TheDefaultConfigurationIsValidAndKeepsWhatMustSurviveOnTheDataPartition(string target)
    {
        string config = ImageFile("config", "appliance.toml") + (target == "pi4" ? ImageFile("config", "board-pi4.toml") : "");
        using var directory = new TempDirectory();
        (int code, string stdout, string stderr) = await Product.RunAsync("config", "check", directory.File("appliance.toml", config));
        Assert.True(code == 0, stdout + stderr);
        if (target == "pi4")
        {
            Assert.Contains("[board.oled]", config, StringComparison.Ordinal); // the OLED shows a refused file
        }

        // Every file the appliance writes is on the data partition; the control socket in its runtime folder.
        Assert.Equal("/run/appliance/control.sock", Setting(config, "socket"));
        Assert.Equal("appliance-console", Setting(config, "group"));
        foreach (string key in new[] { "path", "audit_log", "mode_state", "versions", "pin_file", "pin_state" })
        {
            Assert.StartsWith("/var/lib/appliance/", Setting(config, key), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TheUnitsTheScriptsAndTheBuildAgreeOnPathsAndNames()
    {
        string service = ImageFile("rootfs", "etc", "systemd", "system", "appliance.service");
        string import = ImageFile("rootfs", "etc", "systemd", "system", "appliance-config-import.service");
        string firstboot = ImageFile("rootfs", "usr", "libexec", "appliance", "firstboot");
        string consoleLogin = ImageFile("rootfs", "usr", "libexec", "appliance", "console-login");
        string build = ImageFile("build");
        string fstab = ImageFile("rootfs", "etc", "fstab");

        // The active configuration: the daemon reads what the import writes and the first boot creates.
        Assert.Contains("ExecStart=/usr/bin/appliance run --config /var/lib/appliance/appliance.toml\n", service, StringComparison.Ordinal);
        Assert.Contains("ExecStart=/usr/bin/appliance config import /boot/firmware/appliance.toml /var/lib/appliance/appliance.toml\n", import, StringComparison.Ordinal);
        Assert.Contains("\"$data/appliance.toml\"", firstboot, StringComparison.Ordinal);
        Assert.Contains("data=/var/lib/appliance\n", firstboot, StringComparison.Ordinal);
        // The clock: the active configuration's [time] servers for systemd-timesyncd, at every boot, after the import.
        string timesync = ImageFile("rootfs", "etc", "systemd", "system", "appliance-timesync.service");
        Assert.Contains("ExecStart=/usr/libexec/appliance/timesync\n", timesync, StringComparison.Ordinal);
        Assert.Contains("After=appliance-firstboot.service appliance-config-import.service\n", timesync, StringComparison.Ordinal);
        Assert.Contains("active=/var/lib/appliance/appliance.toml\n", ImageFile("rootfs", "usr", "libexec", "appliance", "timesync"), StringComparison.Ordinal);
        Assert.Contains("appliance-timesync.service", build, StringComparison.Ordinal); // enabled
        Assert.Contains("systemd-timesyncd\n", ImageFile("packages", "base"), StringComparison.Ordinal);
        // The console: its socket, its group and user as the build creates them, its shell.
        Assert.Contains("--socket /run/appliance/control.sock", consoleLogin, StringComparison.Ordinal);
        Assert.Contains("groupadd --system appliance-console", build, StringComparison.Ordinal);
        Assert.Contains("--gid appliance-console", build, StringComparison.Ordinal);
        Assert.Contains("--shell /usr/libexec/appliance/console-login", build, StringComparison.Ordinal);
        Assert.Contains("--autologin console", ImageFile("rootfs", "etc", "systemd", "system", "getty@tty1.service.d", "appliance-console.conf"), StringComparison.Ordinal);
        Assert.Contains("--autologin console", ImageFile("rootfs", "etc", "systemd", "system", "serial-getty@.service.d", "appliance-console.conf"), StringComparison.Ordinal);
        // Not MemoryDenyWriteExecute: Wasmtime writes the code it compiles.
        Assert.DoesNotMatch(@"(?m)^MemoryDenyWriteExecute", service);
        Assert.Contains("RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK\n", service, StringComparison.Ordinal);

        // The file systems' labels: what the build gives them is what fstab and the Pi's root= name.
        Assert.Contains("mkfs.vfat -n BOOT ", build, StringComparison.Ordinal);
        Assert.Contains("mke2fs -q -t ext4 -L root-a ", build, StringComparison.Ordinal);
        Assert.Contains("mke2fs -q -t ext4 -L data ", build, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^LABEL=BOOT\s+/boot/firmware\s+vfat\s", fstab);
        Assert.Matches(@"(?m)^LABEL=data\s+/var/lib/appliance\s+ext4\s", fstab);
        Assert.DoesNotMatch(@"(?m)^\S+\s+/\s", fstab); // the root: from the kernel's command line, read-only
        Assert.Contains("root=LABEL=root-a ro ", build, StringComparison.Ordinal); // amd64's command line
    }

    [Fact]
    public void ThePisBootSettingsNameSlotAAndBothConsolesAndTheBoardsConfigTxt()
    {
        string settings = ImageFile("rootfs-pi4", "etc", "default", "raspi-firmware");
        string build = ImageFile("build");

        // Read by Debian's hook (z50-raspi-firmware) as shell variables: ROOTPART for root=, CONSOLES for console=.
        Assert.Matches(@"(?m)^ROOTPART=""LABEL=root-a""$", settings);
        Assert.Matches(@"(?m)^CONSOLES=""tty0 ttyS1,115200""$", settings); // the serial console last: /dev/console
        // The extra command line: one line, no comments (the hook appends it as it is); ro after the hook's rw.
        Assert.Equal("ro\n", ImageFile("rootfs-pi4", "etc", "default", "raspi-extra-cmdline"));
        Assert.Equal("i2c-dev", ImageFile("rootfs-pi4", "etc", "modules-load.d", "i2c-dev.conf").Split('\n').Last(l => l.Length > 0 && !l.StartsWith('#')));
        // hardware/config.txt becomes the custom part of config.txt, never config.txt itself; the overlays are compiled.
        Assert.Contains("hardware/config.txt' \\\"\\$1\\\"/etc/default/raspi-firmware-custom", build, StringComparison.Ordinal);
        Assert.Contains("dtc -q -@ -I dts -O dtb", build, StringComparison.Ordinal);
        Assert.Contains("/etc/kernel/postinst.d/z50-raspi-firmware", build, StringComparison.Ordinal);
    }

    private static string Setting(string config, string key)
    {
        Match match = Regex.Match(config, $@"(?m)^{key} = ""([^""]*)""");
        Assert.True(match.Success, $"the image's configuration sets no {key}");
        return match.Groups[1].Value;
    }
}
