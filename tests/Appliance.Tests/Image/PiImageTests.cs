using System.Globalization;
using System.Text.RegularExpressions;
using Appliance.Testing;
using Xunit.Abstractions;

namespace Appliance.Tests.Image;

/// <summary>
/// The Raspberry Pi 4 image read as files, without mounting anything (sfdisk, blkid, mtools): what the Pi's boot
/// firmware reads, which no emulator runs (QEMU's raspi4b loads the kernel itself; image/test-raspi4b boots the rest).
/// The partition table, the file systems and their labels, the firmware on the FAT partition, config.txt as Debian's
/// hook wrote it with hardware/config.txt appended, cmdline.txt's consoles and root, and the board's overlays applied
/// to the very device tree the firmware will load. The Pi image's first build runs every package's maintainer script
/// under qemu-user (about 20 minutes here), too long for the test command: these run in image/test-raspi4b (trait
/// Category=Long, which scripts/test leaves out); <see cref="ImageRecipeTests"/> is the test command's cheap check.
/// </summary>
[Trait("Category", "Long")]
public sealed partial class PiImageTests(Pi4Image image, ITestOutputHelper output) : IClassFixture<Pi4Image>
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public async Task TheCardHasABootPartitionTwoRootSlotsAndADataPartition()
    {
        ImageBuild build = image.Build;
        output.WriteLine($"image/build pi4 took {build.Took.TotalSeconds:F1} s:\n{build.Log}\n{build.Manifest[..build.Manifest.IndexOf("kernel", StringComparison.Ordinal)]}");
        PartitionTable table = await PartitionTable.ReadAsync(build.Image);

        Assert.Equal("dos", table.Label); // the Pi 4's firmware reads an MBR
        Assert.Equal([1, 2, 3, 4], table.Partitions.Select(p => p.Number));
        PartitionTable.Partition boot = table.Partitions[0], rootA = table.Partitions[1], rootB = table.Partitions[2], data = table.Partitions[3];
        Assert.Equal(("c", true, 4 * MiB, 256 * MiB), (boot.Type, boot.Bootable, boot.Offset, boot.Size)); // FAT32 (LBA)
        Assert.Equal(("83", "83", "83"), (rootA.Type, rootB.Type, data.Type));
        Assert.Equal(rootA.Size, rootB.Size); // slot B takes what slot A holds
        Assert.Equal(data.Offset + data.Size, new FileInfo(build.Image).Length); // last: the first boot grows it

        Assert.Equal("vfat BOOT", await FileSystemAsync(build.Image, boot));
        Assert.Equal("ext4 root-a", await FileSystemAsync(build.Image, rootA));
        Assert.Equal("none", await FileSystemAsync(build.Image, rootB)); // empty until the first update
        Assert.Equal("ext4 data", await FileSystemAsync(build.Image, data));
    }

    [Fact]
    public async Task TheBootPartitionHoldsTheFirmwareTheKernelAndTheDeviceTree()
    {
        string[] files = await BootFilesAsync();
        output.WriteLine(string.Join('\n', files));

        // The Pi 4's firmware (start4.elf and its fixup4.dat: the VideoCore's stage), the kernel and initramfs
        // config.txt names, the Pi 4's device tree, the board's overlays, the example of the headless configuration.
        Assert.Subset(files.ToHashSet(), new HashSet<string>(["start4.elf", "fixup4.dat", "bcm2711-rpi-4-b.dtb", "config.txt", "cmdline.txt",
            "overlays/dht11.dtbo", "overlays/w1-gpio.dtbo", "appliance.toml.example"]));
        string config = await BootFileAsync("config.txt");
        string kernel = Regex.Match(config, @"^kernel=(\S+)$", RegexOptions.Multiline).Groups[1].Value;
        string initramfs = Regex.Match(config, @"^initramfs (\S+)$", RegexOptions.Multiline).Groups[1].Value;
        Assert.Matches(@"^vmlinuz-6\.1\.0-\d+-arm64$", kernel);
        Assert.Matches(@"^initrd\.img-6\.1\.0-\d+-arm64$", initramfs);
        Assert.Contains(kernel, files);
        Assert.Contains(initramfs, files);
        Assert.DoesNotContain("appliance.toml", files); // none until a technician puts one there
    }

    [Fact]
    public async Task ConfigTxtIsDebiansWithTheBoardsSettingsAppended()
    {
        string config = (await BootFileAsync("config.txt")).ReplaceLineEndings("\n");
        string board = File.ReadAllText(Path.Combine(Repository.Root, "hardware", "config.txt")).ReplaceLineEndings("\n");

        // Debian's hook wrote it (so a kernel update writes it again the same way): 64-bit, the upstream kernel and
        // device tree, the UART; then /etc/default/raspi-firmware-custom, which is hardware/config.txt, word for word.
        Assert.StartsWith("# Do not modify this file!", config, StringComparison.Ordinal);
        Assert.Contains("\narm_64bit=1\n", config, StringComparison.Ordinal);
        Assert.Contains("\nenable_uart=1\nupstream_kernel=1\n", config, StringComparison.Ordinal);
        Assert.EndsWith("# Inserted by /etc/default/raspi-firmware-custom\n" + board, config, StringComparison.Ordinal);
        foreach (string setting in new[] { "dtparam=i2c_arm=on", "dtoverlay=dht11,gpiopin=4", "dtoverlay=w1-gpio,gpiopin=17", "dtparam=watchdog=on" })
        {
            Assert.Contains("\n" + setting + "\n", config, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task CmdlineTxtHasBothConsolesAndMountsSlotAReadOnly()
    {
        string cmdline = await BootFileAsync("cmdline.txt");
        output.WriteLine(cmdline);
        string[] arguments = cmdline.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);

        Assert.Single(cmdline.Trim().Split('\n')); // one line, as the firmware reads it
        // HDMI first, the header's serial console (the mini UART) last: /dev/console, boot messages and rescue shell.
        Assert.Equal(["console=tty0", "console=ttyS1,115200"], arguments.Where(a => a.StartsWith("console=", StringComparison.Ordinal)));
        Assert.Contains("root=LABEL=root-a", arguments);
        Assert.Contains("rootwait", arguments);
        Assert.DoesNotContain(arguments, a => a.StartsWith("cma=", StringComparison.Ordinal)); // as the hook writes it on a Pi 4
        // Debian's hook writes rw; the image's ro comes after it, and the last one counts (kernel and initramfs alike).
        Assert.Equal("ro", arguments.Last(a => a is "ro" or "rw"));
    }

    [Fact]
    public async Task TheBoardsOverlaysApplyToTheDeviceTreeTheFirmwareLoads()
    {
        using var directory = new TempDirectory();
        string tree = await CopyBootFileAsync("bcm2711-rpi-4-b.dtb", directory.Path);
        // The firmware resolves the overlays' &gpio through the tree's __symbols__, as fdtoverlay does; the node each adds
        // at the root then names the GPIO of the board's pinout (4: the DHT22 on pin 7, 17: the 1-Wire bus on pin 11).
        foreach ((string overlay, string node, string line) in new[] { ("dht11", "dht11", "4"), ("w1-gpio", "onewire", "17") })
        {
            string dtbo = await CopyBootFileAsync($"overlays/{overlay}.dtbo", directory.Path);
            string merged = Path.Combine(directory.Path, overlay + ".dtb");
            (int code, _, string error) = await ChildProcess.RunAsync("fdtoverlay", "-i", tree, "-o", merged, dtbo);
            Assert.True(code == 0, $"{overlay}.dtbo does not apply to Debian's bcm2711-rpi-4-b.dtb: {error}");
            (int found, string gpios, string why) = await ChildProcess.RunAsync("fdtget", "-t", "u", merged, "/" + node, "gpios");
            Assert.True(found == 0, $"the merged tree has no /{node}: {why}");
            output.WriteLine($"{overlay}: /{node} gpios {gpios.Trim()}");
            Assert.Equal(line, gpios.Trim().Split(' ')[1]); // <&gpio LINE flags>
        }
    }

    private static async Task<string> FileSystemAsync(string image, PartitionTable.Partition partition)
    {
        (int code, string stdout, _) = await ChildProcess.RunAsync("blkid", "--probe", "--offset", partition.Offset.ToString(CultureInfo.InvariantCulture),
            "--size", partition.Size.ToString(CultureInfo.InvariantCulture), "--output", "export", image);
        if (code == 2)
        {
            return "none"; // blkid found nothing there
        }

        Dictionary<string, string> values = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        return $"{values["TYPE"]} {values.GetValueOrDefault("LABEL", "")}";
    }

    private async Task<string> FatAsync() => (await PartitionTable.ReadAsync(image.Build.Image)).Fat(image.Build.Image, 1);

    private async Task<string[]> BootFilesAsync()
    {
        (int code, string stdout, string error) = await ChildProcess.RunAsync("mdir", "-/", "-b", "-i", await FatAsync(), "::");
        Assert.True(code == 0, error);
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(f => f.TrimStart(':', '/')).ToArray();
    }

    private async Task<string> BootFileAsync(string name)
    {
        (int code, string stdout, string error) = await ChildProcess.RunAsync("mtype", "-i", await FatAsync(), "::" + name);
        Assert.True(code == 0, $"{name} on the boot partition: {error}");
        return stdout;
    }

    private async Task<string> CopyBootFileAsync(string name, string directory)
    {
        string copy = Path.Combine(directory, Path.GetFileName(name));
        (int code, _, string error) = await ChildProcess.RunAsync("mcopy", "-i", await FatAsync(), "::" + name, copy);
        Assert.True(code == 0, $"{name} on the boot partition: {error}");
        return copy;
    }
}
