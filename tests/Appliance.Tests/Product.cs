using System.Runtime.InteropServices;
using Appliance.Testing;

namespace Appliance.Tests;

/// <summary>Runs the published NativeAOT binary, the product itself: the x86-64 build, or the Raspberry Pi 4 build under qemu-aarch64.</summary>
internal static class Product
{
    public static string Binary => X64.Path;

    /// <summary>out/linux-x64/appliance (or APPLIANCE_BIN).</summary>
    public static ProductBinary X64 => Published("linux-x64", Repository.PublishedBinary, "scripts/publish", "APPLIANCE_BIN");

    /// <summary>out/linux-arm64/appliance (or APPLIANCE_BIN_ARM64), run under qemu-aarch64-static on any other machine.</summary>
    public static ProductBinary Arm64 => Published("linux-arm64", Repository.PublishedArm64Binary, "RID=linux-arm64 scripts/publish", "APPLIANCE_BIN_ARM64");

    /// <summary>The build for <paramref name="runtimeId"/> ("linux-x64" or "linux-arm64").</summary>
    public static ProductBinary Of(string runtimeId) => runtimeId == "linux-arm64" ? Arm64 : X64;

    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments) => X64.RunAsync(arguments);

    private static ProductBinary Published(string runtimeId, string path, string publish, string variable)
    {
        Assert.True(File.Exists(path), $"the published binary {path} is missing: run {publish} first (scripts/test does), or set {variable}");
        return new ProductBinary(runtimeId, path);
    }
}

/// <summary>One published executable and how to start it here.</summary>
/// <param name="RuntimeId">"linux-x64" or "linux-arm64".</param>
/// <param name="Path">The executable.</param>
internal sealed record ProductBinary(string RuntimeId, string Path)
{
    /// <summary>What to start: the executable itself, or qemu-aarch64-static for an arm64 build on another machine.</summary>
    public string Program => NeedsEmulation ? "/usr/bin/qemu-aarch64-static" : Path;

    private bool NeedsEmulation => RuntimeId == "linux-arm64" && RuntimeInformation.OSArchitecture != Architecture.Arm64;

    public string[] Arguments(params string[] arguments) => NeedsEmulation ? [Path, .. arguments] : arguments;

    public ChildProcess Start(params string[] arguments) => ChildProcess.Start(Program, Arguments(arguments));

    public Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments) => ChildProcess.RunAsync(Program, Arguments(arguments));
}
