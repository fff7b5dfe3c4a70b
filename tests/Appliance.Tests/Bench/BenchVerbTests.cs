using System.Text.Json;
using Appliance.Testing;

namespace Appliance.Tests.Bench;

/// <summary>
/// <c>appliance bench engine</c>, <c>bench gateway</c> and <c>bench mqtt</c> through the published binary, and
/// <c>tests/bench/gateway</c> in its quick mode: that they run and what they print, never how fast (the numbers
/// are the business of the scripts in tests/bench). The kernels are built from guest/bench/kernels.c with clang,
/// as the benchmark script builds them.
/// </summary>
public sealed class BenchVerbTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task TheQuickDriverBenchmarkReportsEveryCheckAndAPoll()
    {
        (int code, string stdout, string stderr) = await Product.RunAsync("bench", "drivers", "--json", "--quick");

        Assert.True(code == 0, stderr);
        using var report = JsonDocument.Parse(stdout);
        Assert.Equal(
            ["endpoint_parse_ns", "connect_denied_ns", "read_denied_ns", "read_allowed_ns", "verify_module_ns", "demo_poll_ns"],
            report.RootElement.EnumerateObject().Select(property => property.Name));
        Assert.All(report.RootElement.EnumerateObject(), property => Assert.True(property.Value.GetDouble() > 0, property.Name));
    }

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
    public async Task TheQuickGatewayBenchmarkReportsDecodeLatencyThroughputAndResetAndNoOtherRuntime()
    {
        (int code, string stdout, string stderr) = await Product.RunAsync("bench", "gateway", "--json", "--quick");

        Assert.True(code == 0, stderr);
        using var report = JsonDocument.Parse(stdout);
        JsonElement root = report.RootElement;
        Assert.Equal(
            ["benchmark", "version", "quick", "frame", "guest_bytes", "triplet_decode_p50_us", "triplet_decode_p99_us", "voted_frames_per_second", "single_instance_decode_us", "trapped_reset_us", "trapped_reset_worst_us", "default_triplet", "wasmtime_lane"],
            root.EnumerateObject().Select(property => property.Name));
        Assert.Equal("gateway", root.GetProperty("benchmark").GetString());
        Assert.True(root.GetProperty("quick").GetBoolean());
        Assert.Equal(125, root.GetProperty("frame").GetProperty("registers").GetInt32());
        Assert.Equal(259, root.GetProperty("frame").GetProperty("bytes").GetInt32());
        Assert.Equal(63, root.GetProperty("frame").GetProperty("tags").GetInt32());
        foreach (string figure in new[] { "guest_bytes", "triplet_decode_p50_us", "triplet_decode_p99_us", "voted_frames_per_second", "single_instance_decode_us", "trapped_reset_us" })
        {
            Assert.True(root.GetProperty(figure).GetDouble() > 0, figure);
        }

        Assert.True(root.GetProperty("triplet_decode_p99_us").GetDouble() >= root.GetProperty("triplet_decode_p50_us").GetDouble());
        Assert.True(root.GetProperty("trapped_reset_worst_us").GetDouble() >= root.GetProperty("trapped_reset_us").GetDouble());
        JsonElement diverse = root.GetProperty("default_triplet");
        Assert.Equal("wasmtime:modbus-parser, interpreter:modbus-parser, wasmtime:modbus-parser-c", diverse.GetProperty("lanes").GetString());
        Assert.True(diverse.GetProperty("voted_frames_per_second").GetDouble() > 0);
        JsonElement wasmtime = root.GetProperty("wasmtime_lane");
        Assert.True(wasmtime.GetProperty("decode_us").GetDouble() > 0);
        Assert.True(wasmtime.GetProperty("trapped_reset_worst_us").GetDouble() >= wasmtime.GetProperty("trapped_reset_us").GetDouble());
    }

    [Fact]
    public async Task TheGatewayBenchmarksTagMapIsWrittenAsConfigureReceivesIt()
    {
        string file = Path.Combine(_dir.Path, "tags.bin");

        (int code, _, string stderr) = await Product.RunAsync("bench", "gateway-tags", file);

        Assert.True(code == 0, stderr);
        byte[] tags = await File.ReadAllBytesAsync(file);
        // 63 canonical-ABI tag records of 24 bytes: address u16 @0, kind u8 @2, order flags @3, length u16 @6.
        const int Record = 24;
        Assert.Equal(63 * Record, tags.Length);
        Assert.Equal([0, 0, 7, 0, 0, 0, 2, 0], tags[..8]); // address 0, float32, ABCD, 2 registers
        Assert.Equal([62, 0, 3, 2, 0, 0, 2, 0], tags[(31 * Record)..((31 * Record) + 8)]); // address 62, int32, word swap (CDAB)
        Assert.Equal([124, 0, 2, 0, 0, 0, 1, 0], tags[(62 * Record)..((62 * Record) + 8)]); // address 124, uint16
    }

    [Fact]
    public async Task TheGatewayBenchScriptComparesOurResetWithNodeInstantiatingTheSameGuest()
    {
        _ = Product.Binary; // the script runs the same published binary (APPLIANCE_BIN or out/linux-x64/appliance)

        (int code, string stdout, string stderr) = await ChildProcess.RunAsync(Path.Combine(Repository.Root, "tests", "bench", "gateway"), "--quick", "--json");

        Assert.True(code == 0, stderr);
        using var report = JsonDocument.Parse(stdout);
        JsonElement root = report.RootElement;
        JsonElement ours = root.GetProperty("appliance");
        JsonElement node = root.GetProperty("node");
        Assert.Equal("gateway", ours.GetProperty("benchmark").GetString());
        Assert.True(ours.GetProperty("quick").GetBoolean());
        Assert.StartsWith("v", node.GetProperty("version").GetString(), StringComparison.Ordinal);
        Assert.Equal(ours.GetProperty("frame").GetProperty("tags").GetInt32(), node.GetProperty("tags").GetInt32());
        Assert.True(node.GetProperty("instantiate_us").GetDouble() > 0);
        Assert.True(node.GetProperty("instantiate_configure_us").GetDouble() > 0);
        double ratio = node.GetProperty("instantiate_configure_us").GetDouble() / ours.GetProperty("trapped_reset_us").GetDouble();
        Assert.Equal(ratio, root.GetProperty("reset_speedup_vs_node").GetDouble(), tolerance: 0.001);
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
                ["nbody"] = 797_620_222, // the hold-out kernels (guest/bench/holdout.c)
                ["tak"] = 5,
                ["varint"] = 2_948_107_513,
                ["base64"] = 2_880_395_939,
                ["lu"] = 651_908_221,
                ["xxh32"] = 591_381_322,
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
