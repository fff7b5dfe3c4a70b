using Appliance.Drivers.Audit;
using Appliance.Drivers.Files;
using Appliance.Drivers.Hosting;
using Appliance.Drivers.Net;
using Appliance.Drivers.Policy;
using Appliance.Testing;
using Appliance.Wasm.Tests;
using Microsoft.Extensions.Logging.Abstractions;

namespace Appliance.Drivers.Tests.Hosting;

/// <summary>
/// The host side of world sensor-driver in Wasmtime, with small drivers written in WebAssembly text: results are
/// lowered into the guest through its allocator, a denied call is an error value (and an audit line), and a driver
/// that loops, returns what cannot be lifted or imports anything else is stopped with a reason.
/// </summary>
public sealed class DriverInstanceTests : IDisposable
{
    private const string Prelude = """
          (import "ics:gateway/sensor-fs@0.1.0" "read-file" (func $read (param i32 i32 i32 i32)))
          (memory (export "memory") 1)
          (global $bump (mut i32) (i32.const 4096))
          (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32)
            (local $p i32)
            (local.set $p (global.get $bump))
            (global.set $bump (i32.add (global.get $bump) (local.get 3)))
            (local.get $p))
          (func (export "ics:gateway/driver@0.1.0#init") (result i32) (i32.store8 (i32.const 0) (i32.const 0)) (i32.const 0))
          (data (i32.const 512) "pressure")
          (data (i32.const 520) "bar")
          (data (i32.const 528) "../secret")
          (data (i32.const 540) "a b")
        """;

    private readonly TempDirectory _dir = new();
    private readonly AuditLog _audit;
    private readonly SensorRoot _root;

    public DriverInstanceTests()
    {
        Directory.CreateDirectory(Path.Combine(_dir.Path, "root"));
        File.WriteAllText(Path.Combine(_dir.Path, "root", "pressure"), "4.25\n");
        File.WriteAllText(Path.Combine(_dir.Path, "secret"), "no");
        _root = SensorRoot.Open(Path.Combine(_dir.Path, "root"));
        _audit = AuditLog.Open(Path.Combine(_dir.Path, "audit.log"));
    }

    public void Dispose()
    {
        _root.Dispose();
        _audit.Dispose();
        _dir.Dispose();
    }

    /// <summary>Reads the file at 512 (8 bytes) or 528 (9 bytes) and returns one reading "pressure" = the length read, or -1 - the error.</summary>
    private static string ReadingDriver(int path, int length) => $$"""
        (module
          {{Prelude}}
          (func (export "ics:gateway/driver@0.1.0#poll") (result i32)
            (call $read (i32.const {{path}}) (i32.const {{length}}) (i32.const 64) (i32.const 16))
            (i32.store8 (i32.const 32) (i32.const 0))
            (i32.store (i32.const 36) (i32.const 64))
            (i32.store (i32.const 40) (i32.const 1))
            (i32.store (i32.const 64) (i32.const 512))
            (i32.store (i32.const 68) (i32.const 8))
            (f64.store (i32.const 72)
              (if (result f64) (i32.load8_u (i32.const 16))
                (then (f64.sub (f64.const -1) (f64.convert_i32_u (i32.load8_u (i32.const 20)))))
                (else (f64.convert_i32_u (i32.load (i32.const 24))))))
            (i32.store (i32.const 80) (i32.const 520))
            (i32.store (i32.const 84) (i32.const 3))
            (i32.const 32)))
        """;

    [Fact]
    public void AFileReadIsLoweredThroughTheGuestsAllocator()
    {
        using DriverInstance driver = Create(ReadingDriver(512, 8), PolicyMode.DataDiode);

        (IReadOnlyList<DriverReading>? readings, string? error) = driver.Poll();

        Assert.Null(error);
        Assert.Equal([new DriverReading("pressure", 5, "bar")], readings);
    }

    [Fact]
    public void ADeniedCallIsAnErrorValueCountedAndAudited()
    {
        using DriverInstance driver = Create(ReadingDriver(528, 9), PolicyMode.DataDiode);

        (IReadOnlyList<DriverReading>? readings, _) = driver.Poll();

        Assert.Equal(-1 - (int)FsError.Denied, Assert.Single(readings!).Value);
        Assert.Equal(1, driver.Capabilities.Denied["read-file"]);
        string line = File.ReadLines(_audit.Path).Last();
        Assert.Contains("\"event\":\"denied\",\"driver\":\"test\",\"call\":\"read-file\",\"target\":\"../secret\",\"mode\":\"data-diode\"", line, StringComparison.Ordinal);
    }

    [Fact]
    public void LockdownDeniesEvenTheSensorFiles()
    {
        using DriverInstance driver = Create(ReadingDriver(512, 8), PolicyMode.Lockdown);

        Assert.Equal(-1 - (int)FsError.Denied, Assert.Single(driver.Poll().Readings!).Value);
    }

    [Fact]
    public void ABusyLoopRunsOutOfFuelAndIsStopped()
    {
        using DriverInstance driver = Create("""
            (module
              {{Prelude}}
              (func (export "ics:gateway/driver@0.1.0#poll") (result i32) (loop (br 0)) (i32.const 0)))
            """.Replace("{{Prelude}}", Prelude, StringComparison.Ordinal), PolicyMode.DataDiode);

        DriverFaultException stopped = Assert.Throws<DriverFaultException>(() => driver.Poll());

        Assert.Contains("trapped in ics:gateway/driver@0.1.0#poll: OutOfFuel", stopped.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("(i32.store8 (i32.const 32) (i32.const 2))", "poll returned the result case 2")]
    [InlineData("(i32.store (i32.const 36) (i32.const 0xFFFFFF00)) (i32.store (i32.const 40) (i32.const 1))", "outside its memory")]
    [InlineData("(i32.store (i32.const 40) (i32.const 100000))", "poll returned 100000 readings")]
    [InlineData("(i32.store (i32.const 36) (i32.const 64)) (i32.store (i32.const 40) (i32.const 1)) (i32.store (i32.const 64) (i32.const 540)) (i32.store (i32.const 68) (i32.const 3))", "has the name \"a b\"")]
    [InlineData("(i32.store (i32.const 36) (i32.const 64)) (i32.store (i32.const 40) (i32.const 1)) (i32.store (i32.const 64) (i32.const 512)) (i32.store (i32.const 68) (i32.const 5000))", "a string of 5000 bytes")]
    public void AResultThatCannotBeLiftedStopsTheDriver(string body, string expected)
    {
        using DriverInstance driver = Create($$"""
            (module
              {{Prelude}}
              (func (export "ics:gateway/driver@0.1.0#poll") (result i32) (i32.store8 (i32.const 32) (i32.const 0)) {{body}} (i32.const 32)))
            """, PolicyMode.DataDiode);

        DriverFaultException stopped = Assert.Throws<DriverFaultException>(() => driver.Poll());

        Assert.Contains(expected, stopped.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADriverThatImportsAnythingElseIsRefused()
    {
        byte[] wasm = Wat.Assemble("""
            (module
              (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
              (memory (export "memory") 1))
            """);

        DriverFaultException refused = Assert.Throws<DriverFaultException>(() => DriverModule.Compile("sneaky", wasm, DriverLimits.Default));

        Assert.Contains("imports wasi_snapshot_preview1#fd_write; a driver may import only the sensor-fs, sensor-net and log interfaces", refused.Message, StringComparison.Ordinal);
    }

    private DriverInstance Create(string wat, PolicyMode mode)
    {
        DriverModule module = DriverModule.Compile("test", Wat.Assemble(wat), DriverLimits.Default with { Fuel = 1_000_000 });
        var policy = new DriverPolicy(mode, [], breachAllowed: false, audit: _audit);
        var capabilities = new DriverCapabilities("test", _root, policy, NetLimits.Default, 65_536, _audit, NullLogger.Instance, TimeProvider.System);
        return DriverInstance.Create(module, capabilities);
    }
}
