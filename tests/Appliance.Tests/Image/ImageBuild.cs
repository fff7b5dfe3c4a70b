using System.Diagnostics;
using Appliance.Testing;

namespace Appliance.Tests.Image;

/// <summary>
/// One run of <c>image/build TARGET [--test]</c> with the published appliance (the product the tests run), into a
/// folder of its own: the image and, beside it, the folder QEMU boots it from (vmlinuz, initrd.img, cmdline, disk.img,
/// manifest). The Debian stage comes from the cache after the first build (minutes the first time, then seconds).
/// </summary>
internal sealed class ImageBuild : IDisposable
{
    /// <summary>How long the first build may take (downloads, and on arm64 every maintainer script under emulation).</summary>
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(40);

    private readonly TempDirectory _out;

    private ImageBuild(TempDirectory output, string name, string log, TimeSpan took)
    {
        _out = output;
        Image = Path.Combine(output.Path, name + ".img");
        System = Path.Combine(output.Path, name);
        Log = log;
        Took = took;
    }

    /// <summary>The image file (<c>appliance-TARGET[-test].img</c>).</summary>
    public string Image { get; }

    /// <summary>The folder tests/vm/boot --system boots (disk.img is the image itself, a hard link).</summary>
    public string System { get; }

    /// <summary>What image/build said on stderr: its stages and their times.</summary>
    public string Log { get; }

    public TimeSpan Took { get; }

    public string Manifest => File.ReadAllText(Path.Combine(System, "manifest"));

    public static async Task<ImageBuild> RunAsync(string target, bool testLayer)
    {
        var output = new TempDirectory();
        string product = Path.GetDirectoryName(Path.GetFullPath(Product.Of(target == "pi4" ? "linux-arm64" : "linux-x64").Path))!;
        List<string> arguments = [target, "--product", product, "--out", output.Path];
        if (testLayer)
        {
            arguments.Add("--test");
        }

        long started = Stopwatch.GetTimestamp();
        using ChildProcess build = ChildProcess.Start(Path.Combine(Repository.Root, "image", "build"), arguments);
        int code = await build.WaitForExitAsync(BuildTimeout);
        Assert.True(code == 0, $"image/build {string.Join(' ', arguments)} failed ({code}); scripts/setup installs what it needs:\n{build.Stderr}");
        return new ImageBuild(output, "appliance-" + target + (testLayer ? "-test" : ""), build.Stderr, Stopwatch.GetElapsedTime(started));
    }

    public void Dispose() => _out.Dispose();
}
