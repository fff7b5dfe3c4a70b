using Appliance.Testing;

namespace Appliance.Tests.Guests;

/// <summary>
/// The build compiles the guests (Rust and C) and embeds them in the product binary. These tests take the
/// "hello" guest back out of the published executable and run it under a second, independent
/// WebAssembly runtime (Node's V8), which proves the chain from source to binary.
/// </summary>
public sealed class EmbeddedGuestTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task TheBinaryListsItsBuiltInGuests()
    {
        (int code, string stdout, _) = await Product.RunAsync("guest", "list");

        Assert.Equal(0, code);
        Assert.Matches(@"(?m)^hello\t\d+ bytes\tsha256:[0-9a-f]{64}$", stdout);
        Assert.Matches(@"(?m)^modbus-parser\t\d+ bytes\tsha256:[0-9a-f]{64}$", stdout);
        Assert.Matches(@"(?m)^modbus-parser-c\t\d+ bytes\tsha256:[0-9a-f]{64}$", stdout);
    }

    [Fact]
    public async Task TheHelloGuestFromTheBinaryRunsUnderNodeWithTheExpectedResults()
    {
        string module = Path.Combine(_dir.Path, "hello.wasm");
        (int code, _, string stderr) = await Product.RunAsync("guest", "export", "hello", module);
        Assert.True(code == 0, stderr);

        // CRC-16/MODBUS of "123456789" is 0x4B37 (the catalogue check value); the list is lowered by
        // the canonical ABI: cabi_realloc reserves guest memory, the bytes are copied, (ptr, len) passed.
        string script = _dir.File("run.mjs", """
            import { readFileSync } from 'node:fs';
            const { instance } = await WebAssembly.instantiate(readFileSync(process.argv[2]));
            const e = instance.exports;
            const data = new TextEncoder().encode('123456789');
            const ptr = e.cabi_realloc(0, 0, 1, data.length);
            new Uint8Array(e.memory.buffer, ptr, data.length).set(data);
            console.log(JSON.stringify({ add: e.add(2, 40), wrap: e.add(2147483647, 1), crc: e['crc16-modbus'](ptr, data.length) }));
            """);
        (code, string stdout, stderr) = await ChildProcess.RunAsync("node", script, module);

        Assert.True(code == 0, stderr);
        Assert.Equal("{\"add\":42,\"wrap\":-2147483648,\"crc\":19255}\n", stdout);
    }

    [Fact]
    public async Task AnUnknownGuestNameIsAUsageError()
    {
        (int code, _, string stderr) = await Product.RunAsync("guest", "export", "nosuch", Path.Combine(_dir.Path, "x.wasm"));

        Assert.Equal(2, code);
        Assert.Contains("no built-in guest \"nosuch\"; the guests are: hello", stderr, StringComparison.Ordinal);
    }
}
