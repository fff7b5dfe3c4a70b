using Appliance.Testing;

namespace Appliance.Tests.Daemon;

/// <summary><c>appliance run</c>: starts on a valid configuration, stops cleanly on SIGTERM or SIGINT, refuses a bad one.</summary>
public sealed class RunLifecycleTests : IDisposable
{
    private const int SigInt = 2;
    private const int SigTerm = 15;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(SigTerm, "SIGTERM")]
    [InlineData(SigInt, "SIGINT")]
    public async Task TheDaemonRunsOnTheExampleUntilASignalAndThenStopsCleanly(int signal, string name)
    {
        (_, string example, _) = await Product.RunAsync("config", "example");
        string file = _dir.File("appliance.toml", example.ReplaceExactly("/var/lib/appliance/spool.db", Path.Combine(_dir.Path, "spool.db")));

        // Nothing listens on the example's PLC and broker ports: the data path runs and backs off, and still stops cleanly.
        using ChildProcess daemon = ChildProcess.Start(Product.Binary, ["run", "--config", file]);
        daemon.WaitForStderrLine("node \"gateway-01\": 1 device, 1 poll group, 4 tags");
        daemon.WaitForStderrLine("data path running");
        daemon.Signal(signal);
        int code = await daemon.WaitForExitAsync();

        Assert.Equal(0, code);
        Assert.Contains($"{name} received; shutting down", daemon.Stderr, StringComparison.Ordinal);
        Assert.Contains("stopped cleanly", daemon.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadConfigurationStopsTheDaemonBeforeItStartsWithExitCodeTwo()
    {
        string file = _dir.File("appliance.toml", "[tmr]\nmode = \"2of3\"\n");

        (int code, _, string stderr) = await Product.RunAsync("run", "--config", file);

        Assert.Equal(2, code);
        Assert.Contains($"{file}:2:8: tmr.mode must be one of \"2oo3\", \"1oo2\", \"1oo1\", not \"2of3\"; did you mean \"2oo3\"?", stderr, StringComparison.Ordinal);
        Assert.Contains("nothing was started", stderr, StringComparison.Ordinal);
    }
}
