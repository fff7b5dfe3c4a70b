using Appliance.Testing;

namespace Appliance.Tests.Drivers;

/// <summary>
/// A driver loaded from disk runs only when a trusted key signed it, checked by the published appliance before a byte
/// of it is decoded; a refused one is audited and left out, and the rest of the appliance runs. The signing verbs are
/// the binary's own.
/// </summary>
public sealed class SignedDriverTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _module;

    public SignedDriverTests()
    {
        Directory.CreateDirectory(Path.Combine(_dir.Path, "sensors"));
        File.WriteAllText(Path.Combine(_dir.Path, "sensors", "pressure"), "7.5\n");
        _module = Path.Combine(_dir.Path, "vendor-pressure.wasm");
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ASignedDriverFromDiskRunsAnAlteredOneIsRefusedAndAnOlderOneAfterARestartToo()
    {
        Assert.Equal(0, (await Product.RunAsync("key", "generate", Path.Combine(_dir.Path, "keys"))).ExitCode);
        Assert.Equal(0, (await Product.RunAsync("guest", "export", "sensor-driver-demo", _module)).ExitCode);
        await SignAsync("2.0.0");

        (string signedOut, _) = await RunAsync();
        Assert.Contains("appliance/gateway-01/vendor/driver {", signedOut, StringComparison.Ordinal);
        Assert.Contains("\"values\":{\"pressure\":7.5}", signedOut, StringComparison.Ordinal);

        byte[] bytes = File.ReadAllBytes(_module);
        bytes[^1] ^= 0x01;
        File.WriteAllBytes(_module, bytes);
        (string alteredOut, string alteredErr) = await RunAsync();
        Assert.DoesNotContain("appliance/gateway-01/vendor/driver", alteredOut, StringComparison.Ordinal);
        Assert.Contains("the module was altered, or the manifest is another module's", alteredErr, StringComparison.Ordinal);
        Assert.Contains("appliance/gateway-01/status/gateway", alteredOut, StringComparison.Ordinal); // the appliance ran
        Assert.Contains(File.ReadLines(Path.Combine(_dir.Path, "audit.log")), line => line.Contains("\"event\":\"module-refused (HashMismatch)\"", StringComparison.Ordinal));

        bytes[^1] ^= 0x01;
        File.WriteAllBytes(_module, bytes);
        await SignAsync("1.9.9"); // properly signed, but older than 2.0.0, which was accepted before this "reboot"
        (string olderOut, string olderErr) = await RunAsync();
        Assert.DoesNotContain("appliance/gateway-01/vendor/driver", olderOut, StringComparison.Ordinal);
        Assert.Contains("is version 1.9.9 of vendor-pressure; version 2.0.0 was already accepted", olderErr, StringComparison.Ordinal);

        (int verified, string said, _) = await Product.RunAsync("verify", "--trust", Path.Combine(_dir.Path, "keys", "signing.pub"), _module);
        Assert.Equal((0, true), (verified, said.Contains("verified: vendor-pressure 1.9.9", StringComparison.Ordinal))); // verify keeps no versions
    }

    [Fact]
    public async Task WithoutATrustedKeyNoDriverFromDiskRuns()
    {
        Assert.Equal(0, (await Product.RunAsync("guest", "export", "sensor-driver-demo", _module)).ExitCode);

        (string output, string error) = await RunAsync(trusted: false);

        Assert.DoesNotContain("appliance/gateway-01/vendor/driver", output, StringComparison.Ordinal);
        Assert.Contains("no key is trusted to sign modules loaded from disk: list one in [trust] keys", error, StringComparison.Ordinal);
    }

    private async Task SignAsync(string version)
    {
        (int code, _, string error) = await Product.RunAsync("sign", "--key", Path.Combine(_dir.Path, "keys", "signing.key"), "--version", version, _module);
        Assert.True(code == 0, error);
    }

    /// <summary>Runs the appliance with the driver for a second and a half; its stdout (telemetry) and stderr.</summary>
    private async Task<(string Output, string Error)> RunAsync(bool trusted = true)
    {
        string config = _dir.File("appliance.toml", $"""
            [drivers]
            audit_log = "{Path.Combine(_dir.Path, "audit.log")}"
            mode_state = "{Path.Combine(_dir.Path, "policy-mode")}"

            [trust]
            keys = [{(trusted ? $"\"{Path.Combine(_dir.Path, "keys", "signing.pub")}\"" : "")}]
            versions = "{Path.Combine(_dir.Path, "versions.json")}"

            [[driver]]
            name = "vendor"
            module = "{_module}"
            root = "{Path.Combine(_dir.Path, "sensors")}"
            """);
        using ChildProcess gateway = Product.X64.Start("run", "--config", config, "--console");
        gateway.WaitForStderrLine("data path running");
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // a poll or two of the driver, if it runs: the span observed, not a wait for an event
        gateway.Signal(15);
        Assert.Equal(0, await gateway.WaitForExitAsync());
        return (gateway.Stdout, gateway.Stderr);
    }
}
