using Appliance.Testing;

namespace Appliance.Tests.Arm64;

/// <summary>
/// The Raspberry Pi 4 executable (RID=linux-arm64 scripts/publish, cross-built here) tested, not only built: it is an
/// AArch64 ELF, and under qemu-aarch64 it answers exactly as the x86-64 build does. Its end-to-end poll over TLS is in
/// <c>EndToEndTests</c>.
/// </summary>
public sealed class Arm64BuildTests
{
    private const ushort MachineAArch64 = 183; // EM_AARCH64, ELF e_machine

    [Fact]
    public void ThePiBuildIsAnAArch64Executable()
    {
        byte[] header = new byte[20];
        using (FileStream file = File.OpenRead(Product.Arm64.Path))
        {
            file.ReadExactly(header);
        }

        Assert.Equal("\u007FELF"u8.ToArray(), header[..4]);
        Assert.Equal(2, header[4]); // ELFCLASS64
        Assert.Equal(MachineAArch64, BitConverter.ToUInt16(header, 18));
    }

    [Fact]
    public async Task ItPrintsItsVersionAndArchitectureUnderEmulation()
    {
        (int code, string stdout, string stderr) = await Product.Arm64.RunAsync("--version");

        Assert.True(code == 0, stderr);
        Assert.StartsWith("appliance 0.1.0 (linux-arm64, .NET 10.", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ItChecksTheExampleConfigurationAndWritesTheSameExample()
    {
        using var directory = new TempDirectory();
        (int exampleCode, string example, string exampleError) = await Product.Arm64.RunAsync("config", "example");
        Assert.True(exampleCode == 0, exampleError);
        Assert.Equal((await Product.X64.RunAsync("config", "example")).Stdout, example);
        string file = directory.File("appliance.toml", example);

        (int code, string stdout, string stderr) = await Product.Arm64.RunAsync("config", "check", file);

        Assert.True(code == 0, stderr);
        Assert.Equal((await Product.X64.RunAsync("config", "check", file)).Stdout, stdout);
    }

    /// <summary>The whole spec suite through the arm64 binary (about 3 s under qemu here), line for line as on x86-64.</summary>
    [Fact]
    public async Task TheWholeSpecSuitePassesUnderEmulationWithTheSameResultsAsOnX64()
    {
        string suite = Repository.ConformanceSuite("wasm-spec");

        (int code, string stdout, string stderr) = await Product.Arm64.RunAsync("wasm", "spectest", suite);

        Assert.True(code == 0, stderr);
        Assert.EndsWith("27338 passed, 0 failed, 567 skipped", stdout.TrimEnd(), StringComparison.Ordinal);
        Assert.Equal((await Product.X64.RunAsync("wasm", "spectest", suite)).Stdout, stdout);
    }
}
