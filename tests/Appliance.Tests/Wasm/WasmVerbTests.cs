using Appliance.Testing;

namespace Appliance.Tests.Wasm;

/// <summary>The engine through the published NativeAOT binary: the spec suite, running guests, traps.</summary>
public sealed class WasmVerbTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ThePublishedBinaryPassesEveryBinaryCommandOfTheSpecSuite()
    {
        (int code, string stdout, _) = await Product.RunAsync("wasm", "spectest", Repository.ConformanceSuite("wasm-spec"));

        string[] lines = stdout.TrimEnd('\n').Split('\n');
        Assert.Equal("27338 passed, 0 failed, 567 skipped", lines[^1]);
        Assert.Equal(90, lines.Count(line => line.EndsWith(" skipped", StringComparison.Ordinal)) - 1);
        Assert.Equal(0, code);
    }

    [Fact]
    public async Task ThePublishedBinaryPassesEveryBinaryCommandOfTheSpecSuiteInWasmtimeToo()
    {
        (int code, string stdout, string stderr) = await Product.RunAsync("wasm", "spectest", Repository.ConformanceSuite("wasm-spec"), "--engine", "wasmtime");

        Assert.True(code == 0, stderr + stdout);
        Assert.Equal("27338 passed, 0 failed, 567 skipped", stdout.TrimEnd('\n').Split('\n')[^1]);
    }

    [Fact]
    public async Task WasmtimeRefusesAModuleThatIsNotOneWithItsReason()
    {
        string file = _dir.File("bad.wasm", "garbage");

        (int code, _, string stderr) = await Product.RunAsync("wasm", "validate", file, "--engine", "wasmtime");

        Assert.Equal(2, code);
        Assert.Contains("Wasmtime refused it: magic header not detected", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("interpreter")]
    [InlineData("wasmtime")]
    public async Task TheBuiltInHelloGuestRunsInEitherEngine(string engine)
    {
        string module = Path.Combine(_dir.Path, "hello.wasm");
        Assert.Equal(0, (await Product.RunAsync("guest", "export", "hello", module)).ExitCode);

        (int code, string stdout, string stderr) = await Product.RunAsync("wasm", "run", module, "--invoke", "add", "2", "40", "--engine", engine);

        Assert.True(code == 0, stderr);
        Assert.Equal("42:i32\n", stdout);
    }

    [Theory]
    [InlineData("interpreter")]
    [InlineData("wasmtime")]
    public async Task AnInfiniteLoopEndsWithExitCodeThreeAndTheTrapNameInEitherEngine(string engine)
    {
        string module = _dir.File("spin.wasm", [
            0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00,
            0x01, 0x04, 0x01, 0x60, 0x00, 0x00,             // type 0: [] -> []
            0x03, 0x02, 0x01, 0x00,                         // function 0: type 0
            0x07, 0x08, 0x01, 0x04, (byte)'s', (byte)'p', (byte)'i', (byte)'n', 0x00, 0x00,
            0x0A, 0x09, 0x01, 0x07, 0x00, 0x03, 0x40, 0x0C, 0x00, 0x0B, 0x0B, // loop br 0 end end
        ]);

        (int code, _, string stderr) = await Product.RunAsync("wasm", "run", module, "--invoke", "spin", "--fuel", "100000", "--engine", engine);

        Assert.Equal(3, code);
        Assert.Contains("trap OutOfFuel", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FuzzExecPrintsOneTranscriptPerFileAfterItsName()
    {
        string valid = _dir.File("answer.wasm", [
            0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00,
            0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7F,       // type 0: [] -> [i32]
            0x03, 0x02, 0x01, 0x00,                         // function 0: type 0
            0x07, 0x05, 0x01, 0x01, (byte)'f', 0x00, 0x00,  // export "f"
            0x0A, 0x06, 0x01, 0x04, 0x00, 0x41, 0x2A, 0x0B, // i32.const 42 end
        ]);
        string invalid = _dir.File("bad.wasm", [0x00, 0x61, 0x73, 0x6D, 0x02, 0x00, 0x00, 0x00]);

        (int code, string stdout, string stderr) = await Product.RunAsync("wasm", "fuzz-exec", valid, invalid);

        Assert.True(code == 0, stderr);
        Assert.Equal($"== {valid}\ncall f\nreturn i32:42\n== {invalid}\ninvalid\n", stdout);
    }

    [Fact]
    public async Task AMalformedModuleIsRejectedByValidate()
    {
        string module = _dir.File("bad.wasm", [0x00, 0x61, 0x73, 0x6D, 0x02, 0x00, 0x00, 0x00]);

        (int code, _, string stderr) = await Product.RunAsync("wasm", "validate", module);

        Assert.Equal(2, code);
        Assert.Contains("unknown binary version", stderr, StringComparison.Ordinal);
    }
}
