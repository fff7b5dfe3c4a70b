using System.Net;
using System.Net.Sockets;
using System.Text;
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
/// Random and mutated calls into every capability, under random mode switches: paths built from escape pieces,
/// endpoints mutated from the allowlisted one, wild lengths and handles; and through the canonical ABI, a driver that
/// replays random call records with wild pointers. The host never crashes (a wild pointer stops the driver, nothing
/// else), and never grants what the mode forbids: no byte of the file outside the root is ever returned, no file is
/// read in Lockdown, and the listener that is not allowlisted is never connected to outside Breach.
/// </summary>
public sealed class CapabilityFuzzTests : IDisposable
{
    private const string Secret = "SECRET-OUTSIDE-THE-ROOT";
    private static readonly string[] PathPieces = ["pressure", "sub", "..", ".", "/", "link-out", "link-in", "proc-self", "environ", "etc", "passwd", "secret", "", "\0", "//", "sub/..", "%2e%2e", "\u00e9", "big"];

    private readonly TempDirectory _dir = new();
    private readonly TcpListener _allowed = Listen();
    private readonly TcpListener _forbidden = Listen();
    private readonly string _root;
    private int _forbiddenAccepted;

    public CapabilityFuzzTests()
    {
        _root = Path.Combine(_dir.Path, "root");
        Directory.CreateDirectory(Path.Combine(_root, "sub"));
        File.WriteAllText(Path.Combine(_root, "pressure"), "4.25\n");
        File.WriteAllText(Path.Combine(_root, "sub", "pressure"), "1.5\n");
        File.WriteAllBytes(Path.Combine(_root, "big"), new byte[100_000]);
        File.WriteAllText(Path.Combine(_dir.Path, "secret"), Secret);
        File.CreateSymbolicLink(Path.Combine(_root, "link-out"), Path.Combine(_dir.Path, "secret"));
        File.CreateSymbolicLink(Path.Combine(_root, "link-in"), Path.Combine(_root, "pressure"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "proc-self"), "/proc/self");
        _ = AcceptForbiddenAsync();
        _ = DrainAllowedAsync();
    }

    public void Dispose()
    {
        _allowed.Stop();
        _forbidden.Stop();
        _dir.Dispose();
    }

    [Fact]
    public void TwentyThousandRandomCallsNeverGrantWhatTheModeForbids()
    {
        var random = new Random(20261206);
        using AuditLog audit = AuditLog.Open(Path.Combine(_dir.Path, "audit.log"), maxBytes: 64 << 10);
        var policy = new DriverPolicy(PolicyMode.SecureChannel, [Endpoint(_allowed)], breachAllowed: false, audit);
        using var capabilities = new DriverCapabilities("fuzz", SensorRoot.Open(_root), policy, NetLimits.Default with { BytesPerMinute = long.MaxValue / 2, BytesPerConnection = long.MaxValue / 2, ConnectTimeout = TimeSpan.FromMilliseconds(300), ReceiveWait = TimeSpan.Zero }, 65_536, audit, NullLogger.Instance, TimeProvider.System);
        var handles = new List<uint>();
        var outcomes = new Dictionary<string, int>();
        for (int i = 0; i < 20_000; i++)
        {
            if (random.Next(200) == 0)
            {
                policy.Switch((PolicyMode)random.Next(3), "fuzz"); // data-diode, secure-channel, lockdown
            }

            PolicyMode mode = policy.Mode;
            string outcome;
            switch (random.Next(6))
            {
                case 0 or 1:
                    string path = RandomPath(random);
                    FsError? read = capabilities.ReadFile(path, (uint)random.Next(), out byte[] content);
                    Assert.DoesNotContain(Secret, Encoding.Latin1.GetString(content), StringComparison.Ordinal);
                    Assert.True(read is not null || mode != PolicyMode.Lockdown, $"read {path} in lockdown");
                    Assert.True(read is null || content.Length == 0);
                    outcome = "read " + (read?.ToString() ?? "ok");
                    break;
                case 2:
                    FsError? listed = capabilities.ListDirectory(RandomPath(random), out IReadOnlyList<string> names);
                    Assert.True(listed is not null || mode != PolicyMode.Lockdown);
                    Assert.DoesNotContain("secret", names);
                    outcome = "list " + (listed?.ToString() ?? "ok");
                    break;
                case 3:
                    string endpoint = RandomEndpoint(random);
                    NetError? connected = capabilities.Connect(endpoint, out uint handle);
                    Assert.True(connected is not null || mode == PolicyMode.SecureChannel, $"connected to {endpoint} in {mode}");
                    if (connected is null)
                    {
                        handles.Add(handle);
                    }

                    outcome = "connect " + (connected?.ToString() ?? "ok");
                    break;
                case 4:
                    NetError? sent = capabilities.Send(RandomHandle(random, handles), new byte[random.Next(0, 2000)], out _);
                    outcome = "send " + (sent?.ToString() ?? "ok");
                    break;
                default:
                    uint closing = RandomHandle(random, handles);
                    if (random.Next(2) == 0)
                    {
                        capabilities.Close(closing);
                        outcome = "close";
                    }
                    else
                    {
                        NetError? received = capabilities.Receive(closing, (uint)random.Next(), out _);
                        outcome = "receive " + (received?.ToString() ?? "ok");
                    }

                    break;
            }

            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        Thread.Sleep(200);
        Assert.Equal(0, Volatile.Read(ref _forbiddenAccepted));
        foreach (string expected in new[] { "read ok", "read Denied", "read NotFound", "read TooLarge", "read WrongKind", "list ok", "list Denied", "connect ok", "connect Denied", "connect BadAddress", "send ok", "send BadHandle" })
        {
            Assert.True(outcomes.GetValueOrDefault(expected) > 0, $"no call ended in {expected}: {string.Join(", ", outcomes.OrderBy(pair => pair.Key))}");
        }

        Assert.True(AuditVerifier.Verify([.. AuditFiles()]).Intact);
    }

    /// <summary>
    /// A driver that reads a file of call records from its root and makes each call with the record's raw operands:
    /// pointers (wild or inside its memory), lengths, handles, levels. 300 random scripts, each polled once.
    /// </summary>
    [Fact]
    public void RandomCallRecordsThroughTheCanonicalAbiNeverCrashTheHostNorGrantAnything()
    {
        using AuditLog audit = AuditLog.Open(Path.Combine(_dir.Path, "audit.log"));
        var policy = new DriverPolicy(PolicyMode.DataDiode, [Endpoint(_allowed)], breachAllowed: false, audit);
        using DriverModule module = DriverModule.Compile("replayer", Wat.Assemble(Replayer), DriverLimits.Default with { Fuel = 5_000_000, CallTime = TimeSpan.FromSeconds(10) });
        var random = new Random(7);
        int completed = 0;
        int stopped = 0;
        for (int script = 0; script < 300; script++)
        {
            policy.Switch((PolicyMode)random.Next(3), "fuzz");
            byte[] records = new byte[20 * 64];
            random.NextBytes(records);
            for (int r = 0; r < 64; r++)
            {
                // Mostly pointers into the driver's own page, with strings of the escape alphabet or an endpoint there.
                if (random.Next(8) != 0)
                {
                    records[(r * 20) + 1] = 0;
                    records[(r * 20) + 2] = (byte)(random.Next(0x20, 0xFF));
                }
            }

            File.WriteAllBytes(Path.Combine(_root, "script"), records);
            using var capabilities = new DriverCapabilities("replayer", SensorRoot.Open(_root), policy, NetLimits.Default with { ConnectTimeout = TimeSpan.FromMilliseconds(300), ReceiveWait = TimeSpan.Zero }, 65_536, audit, NullLogger.Instance, TimeProvider.System);
            try
            {
                using DriverInstance driver = DriverInstance.Create(module, capabilities);
                _ = driver.Poll();
                completed++;
            }
            catch (DriverFaultException)
            {
                stopped++;
            }
        }

        Thread.Sleep(200);
        Assert.Equal(0, Volatile.Read(ref _forbiddenAccepted));
        Assert.True(completed > 0 && stopped > 0, $"completed {completed}, stopped {stopped}: the scripts should do both");
    }

    /// <summary>
    /// Reads "script" (up to 64 records of 20 bytes: op u8, pad 3, then four u32 operands a b c d) into 8192 and replays
    /// it. Page 0 holds strings: 1024 "pressure", 1040 "../secret", 1056 "10.0.0.66:443", 1072 endpoint text written by
    /// the test's mutations... whatever the random pointers find. ops: 0 read-file(a, b, c, d) 1 list-dir(a, b, c)
    /// 2 connect(a, b, c) 3 send(a, b, c, d) 4 receive(a, b, c) 5 close(a) 6 log(a, b, c).
    /// </summary>
    private const string Replayer = """
        (module
          (import "ics:gateway/sensor-fs@0.1.0" "read-file" (func $read (param i32 i32 i32 i32)))
          (import "ics:gateway/sensor-fs@0.1.0" "list-dir" (func $list (param i32 i32 i32)))
          (import "ics:gateway/sensor-net@0.1.0" "connect" (func $connect (param i32 i32 i32)))
          (import "ics:gateway/sensor-net@0.1.0" "send" (func $send (param i32 i32 i32 i32)))
          (import "ics:gateway/sensor-net@0.1.0" "receive" (func $receive (param i32 i32 i32)))
          (import "ics:gateway/sensor-net@0.1.0" "close" (func $close (param i32)))
          (import "ics:gateway/log@0.1.0" "write" (func $log (param i32 i32 i32)))
          (memory (export "memory") 2)
          (global $bump (mut i32) (i32.const 65536))
          (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32)
            (local $p i32)
            (local.set $p (global.get $bump))
            (global.set $bump (i32.add (global.get $bump) (local.get 3)))
            (if (i32.gt_u (global.get $bump) (i32.const 131072)) (then (global.set $bump (i32.const 65536)) (local.set $p (i32.const 65536))))
            (local.get $p))
          (func (export "ics:gateway/driver@0.1.0#init") (result i32) (i32.store8 (i32.const 0) (i32.const 0)) (i32.const 0))
          (func (export "ics:gateway/driver@0.1.0#poll") (result i32)
            (local $at i32) (local $end i32) (local $a i32) (local $b i32) (local $c i32) (local $d i32)
            (call $read (i32.const 1024) (i32.const 6) (i32.const 1280) (i32.const 16))
            (if (i32.load8_u (i32.const 16)) (then (return (call $done))))
            (local.set $at (i32.load (i32.const 20)))
            (local.set $end (i32.add (local.get $at) (i32.load (i32.const 24))))
            (block $out
              (loop $next
                (br_if $out (i32.gt_u (i32.add (local.get $at) (i32.const 20)) (local.get $end)))
                (local.set $a (i32.load offset=4 (local.get $at)))
                (local.set $b (i32.and (i32.load offset=8 (local.get $at)) (i32.const 0x1FF)))
                (local.set $c (i32.load offset=12 (local.get $at)))
                (local.set $d (i32.load offset=16 (local.get $at)))
                (block $op6 (block $op5 (block $op4 (block $op3 (block $op2 (block $op1 (block $op0
                  (br_table $op0 $op1 $op2 $op3 $op4 $op5 $op6 $op6 (i32.and (i32.load8_u (local.get $at)) (i32.const 7))))
                  (call $read (local.get $a) (local.get $b) (local.get $c) (i32.and (local.get $d) (i32.const 0xFFF8))) (br $op6))
                  (call $list (local.get $a) (local.get $b) (i32.and (local.get $c) (i32.const 0xFFF8))) (br $op6))
                  (call $connect (local.get $a) (local.get $b) (i32.and (local.get $c) (i32.const 0xFFF8))) (br $op6))
                  (call $send (i32.and (local.get $a) (i32.const 3)) (local.get $b) (local.get $c) (i32.and (local.get $d) (i32.const 0xFFF8))) (br $op6))
                  (call $receive (i32.and (local.get $a) (i32.const 3)) (local.get $b) (i32.and (local.get $c) (i32.const 0xFFF8))) (br $op6))
                  (call $close (local.get $a)) (br $op6))
                (local.set $at (i32.add (local.get $at) (i32.const 20)))
                (br $next)))
            (call $done))
          (func $done (result i32)
            (i32.store8 (i32.const 32) (i32.const 0))
            (i32.store (i32.const 36) (i32.const 0))
            (i32.store (i32.const 40) (i32.const 0))
            (i32.const 32))
          (data (i32.const 1024) "script")
          (data (i32.const 1040) "../secret")
          (data (i32.const 1056) "10.0.0.66:443")
          (data (i32.const 1072) "link-out")
          (data (i32.const 1088) "pressure"))
        """;

    private static string RandomPath(Random random)
    {
        int pieces = random.Next(1, 5);
        var path = new StringBuilder();
        for (int i = 0; i < pieces; i++)
        {
            if (i > 0 || random.Next(4) == 0)
            {
                path.Append('/');
            }

            path.Append(PathPieces[random.Next(PathPieces.Length)]);
        }

        return path.ToString();
    }

    private string RandomEndpoint(Random random)
    {
        string[] seeds = [Text(_allowed), Text(_forbidden), $"[::ffff:{Text(_allowed)}]", "10.0.0.50:502"];
        char[] text = seeds[random.Next(seeds.Length)].ToCharArray();
        int mutations = random.Next(0, 3);
        for (int m = 0; m < mutations && text.Length > 0; m++)
        {
            int at = random.Next(text.Length);
            text[at] = "0123456789.:[]x, \n"[random.Next(18)];
        }

        return new string(text);
    }

    private static uint RandomHandle(Random random, List<uint> handles) =>
        handles.Count > 0 && random.Next(3) != 0 ? handles[random.Next(handles.Count)] : (uint)random.Next(-5, 100);

    private IEnumerable<string> AuditFiles()
    {
        string log = Path.Combine(_dir.Path, "audit.log");
        for (int i = 4; i >= 1; i--)
        {
            if (File.Exists($"{log}.{i}"))
            {
                yield return $"{log}.{i}";
            }
        }

        yield return log;
    }

    private async Task AcceptForbiddenAsync()
    {
        try
        {
            while (true)
            {
                using TcpClient client = await _forbidden.AcceptTcpClientAsync();
                Interlocked.Increment(ref _forbiddenAccepted);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    private async Task DrainAllowedAsync()
    {
        try
        {
            while (true)
            {
                TcpClient client = await _allowed.AcceptTcpClientAsync();
                _ = client.GetStream().CopyToAsync(Stream.Null).ContinueWith(_ => client.Dispose(), TaskScheduler.Default);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    private static TcpListener Listen()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(512);
        return listener;
    }

    private static string Text(TcpListener listener) => $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";

    private static Endpoint Endpoint(TcpListener listener) =>
        Drivers.Policy.Endpoint.TryParse(Text(listener), out Endpoint endpoint, out _) ? endpoint : throw new InvalidOperationException();
}
