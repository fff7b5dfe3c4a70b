using System.Diagnostics;
using Appliance.Testing;

namespace Appliance.Tests.Vm;

/// <summary>
/// The test VM's Debian system, made ready once for the VM tests: <c>tests/vm/rootfs</c> builds it the first time
/// (downloads and a kernel module build: minutes) and finds it in its cache afterwards (milliseconds).
/// </summary>
public sealed class VmSystem : IAsyncLifetime
{
    /// <summary>How long the first build may take on a slow mirror; a cached system is found at once.</summary>
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(30);

    /// <summary>tests/vm: the harness (rootfs, boot, guest/).</summary>
    public static string Harness => System.IO.Path.Combine(Repository.Root, "tests", "vm");

    /// <summary>The folder with vmlinuz, initrd.img, root.ext4 and manifest.</summary>
    public string Path { get; private set; } = "";

    /// <summary>How long making it ready took (a build, or finding it in the cache).</summary>
    public TimeSpan ReadyIn { get; private set; }

    public async Task InitializeAsync()
    {
        long started = Stopwatch.GetTimestamp();
        using ChildProcess rootfs = ChildProcess.Start(System.IO.Path.Combine(Harness, "rootfs"), ["--quiet"]);
        int code = await rootfs.WaitForExitAsync(BuildTimeout);
        Assert.True(code == 0, $"tests/vm/rootfs failed ({code}); scripts/setup installs mmdebstrap and QEMU:\n{rootfs.Stderr}");
        Path = rootfs.Stdout.Trim();
        ReadyIn = Stopwatch.GetElapsedTime(started);
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
