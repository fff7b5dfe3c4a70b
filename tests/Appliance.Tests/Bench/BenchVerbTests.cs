using System.Text.Json;
using Appliance.Testing;

namespace Appliance.Tests.Bench;

/// <summary>
/// <c>appliance bench engine</c> and <c>bench gateway</c> through the published binary: that it runs and what it prints, never how
/// fast (the numbers are tests/bench/engine's business). The kernels are built from guest/bench/kernels.c
/// with clang, as the benchmark script builds them.
/// </summary>
public sealed class BenchVerbTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task TheQuickEngineBenchmarkPrintsItsFiguresAsJson()
    {
        (int code, string stdout, string stderr) = await Product.RunAsync("bench", "engine", "--json", "--quick");

        Assert.True(code == 0, stderr);
        using var report = JsonDocument.Parse(stdout);
        JsonElement root = report.RootElement;
        Assert.Equal("engine", root.GetProperty("benchmark").GetString());
        Assert.True(root.GetProperty("quick").GetBoolean());
        Assert.Equal(1, root.GetProperty("parser_module").GetProperty("memory_pages").GetInt32());
        foreach (string figure in new[] { "instantiate_us", "reset_us", "call_ns" })
        {
            Assert.True(root.GetProperty(figure).GetDouble() > 0, figure);
        }

        Assert.Empty(root.GetProperty("kernels").EnumerateObject());
    }

    [Fact]
    public async Task TheQuickGatewayBenchmarkDecodesItsFrameAndComparesWithNode()
    {
        (int code, string stdout, string stderr) = await Product.RunAsync("bench", "gateway", "--json", "--quick");

        Assert.True(code == 0, stderr);
        using var report = JsonDocument.Parse(stdout);
        JsonElement root = report.RootElement;
        Assert.Equal("gateway", root.GetProperty("benchmark").GetString());
        Assert.Equal(125, root.GetProperty("frame").GetProperty("registers").GetInt32());
        Assert.Equal(259, root.GetProperty("frame").GetProperty("bytes").GetInt32());
        foreach (string figure in new[] { "triplet_decode_p50_us", "triplet_decode_p99_us", "voted_frames_per_second", "single_instance_decode_us", "trapped_reset_us", "reset_speedup_vs_node" })
        {
            Assert.True(root.GetProperty(figure).GetDouble() > 0, figure);
        }

        Assert.StartsWith("v", root.GetProperty("node").GetProperty("version").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheMqttBenchmarkPublishesThroughTheSpoolToARealBroker()
    {
        using Mosquitto broker = Mosquitto.Start();

        (int code, string stdout, string stderr) = await Product.RunAsync("bench", "mqtt", "--port", broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--messages", "300", "--json");

        Assert.True(code == 0, stderr);
        using var report = JsonDocument.Parse(stdout);
        Assert.Equal(300, report.RootElement.GetProperty("messages").GetInt32());
        Assert.True(report.RootElement.GetProperty("qos0_msg_per_s").GetDouble() > 0);
        Assert.True(report.RootElement.GetProperty("qos1_msg_per_s").GetDouble() > 0);
    }

    [Fact]
    public async Task EveryKernelRunsOnceAndReturnsItsKnownChecksum()
    {
        (int built, _, string buildErrors) = await ChildProcess.RunAsync(Path.Combine(Repository.Root, "tests", "bench", "build-kernels"), _dir.Path);
        Assert.True(built == 0, $"building the kernels failed (clang and lld come from scripts/setup): {buildErrors}");

        (int code, string stdout, string stderr) = await Product.RunAsync("bench", "engine", "--json", "--quick", "--kernels", Path.Combine(_dir.Path, "kernels.wasm"));

        Assert.True(code == 0, stderr);
        using var report = JsonDocument.Parse(stdout);
        Dictionary<string, uint> checksums = report.RootElement.GetProperty("kernels").EnumerateObject()
            .ToDictionary(kernel => kernel.Name, kernel => kernel.Value.GetProperty("checksum").GetUInt32());
        // n = 1: the sieve counts the 23,000 primes below 2^18, fib is fib(20); the others are what
        // gcc -O2, V8 and wabt compute for the same C.
        Assert.Equal(
            new Dictionary<string, uint>
            {
                ["crc32"] = 236_818_050,
                ["sieve"] = 23_000,
                ["matmul"] = 531_031_674,
                ["sort"] = 3_450_609_327,
                ["fib"] = 6_765,
                ["modbus"] = 875_853_491,
            },
            checksums);
        foreach (JsonProperty kernel in report.RootElement.GetProperty("kernels").EnumerateObject())
        {
            Assert.Equal(1u, kernel.Value.GetProperty("n").GetUInt32());
            Assert.True(kernel.Value.GetProperty("ms").GetDouble() >= 0, kernel.Name);
        }
    }

    [Fact]
    public async Task KernelSizesWithoutAKernelsModuleAreAUsageError()
    {
        (int code, _, string stderr) = await Product.RunAsync("bench", "engine", "--n", "crc32=5");

        Assert.Equal(2, code);
        Assert.Contains("name the module with --kernels FILE.wasm", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKernelTheModuleDoesNotHaveIsReported()
    {
        string module = Path.Combine(_dir.Path, "hello.wasm");
        Assert.Equal(0, (await Product.RunAsync("guest", "export", "hello", module)).ExitCode);

        (int code, _, string stderr) = await Product.RunAsync("bench", "engine", "--quick", "--kernels", module, "--n", "crc32=1");

        Assert.Equal(1, code);
        Assert.Contains("the kernels module has no kernel \"crc32\"", stderr, StringComparison.Ordinal);
    }
}
