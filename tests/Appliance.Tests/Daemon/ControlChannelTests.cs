using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Appliance.Testing;

namespace Appliance.Tests.Daemon;

/// <summary>
/// The control channel of the running published daemon: status and a subscription, the policy switched with the right
/// PIN and refused with wrong ones (the lock-out surviving a restart), and hostile clients (malformed, oversized,
/// unknown, too many, never reading) that get errors or are dropped while the polls go on without a gap.
/// </summary>
public sealed class ControlChannelTests : IDisposable
{
    private const string Topic = "appliance/gateway-01/plc-1/process";

    private readonly TempDirectory _dir = new();
    private readonly int _plcPort = FreePort.Next();
    private readonly ChildProcess _plc;

    public ControlChannelTests()
    {
        _plc = ChildProcess.Start(Product.Binary, ["plc-sim", "--listen", $"127.0.0.1:{_plcPort.ToString(CultureInfo.InvariantCulture)}"]);
        _plc.WaitForStderrLine("listening");
        Directory.CreateDirectory(Path.Combine(_dir.Path, "sensors"));
        File.WriteAllText(Path.Combine(_dir.Path, "sensors", "pressure"), "3.5\n");
    }

    private string Socket => Path.Combine(_dir.Path, "control.sock");

    public void Dispose()
    {
        _plc.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task StatusAndASubscriptionCarryThePolicyTheDriversAndTheLanes()
    {
        using ChildProcess daemon = await StartAsync();

        JsonElement status = Ask("{\"op\":\"status\"}");
        Assert.True(status.GetProperty("ok").GetBoolean());
        Assert.Equal("data-diode", status.GetProperty("status").GetProperty("policy").GetProperty("mode").GetString());
        Assert.True(status.GetProperty("status").GetProperty("drivers").TryGetProperty("rig", out _));
        Assert.True(status.GetProperty("status").GetProperty("devices").TryGetProperty("plc-1", out _));
        Assert.Equal(3, status.GetProperty("lanes_total").GetProperty("lanes").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("health").ValueKind); // --console: no MQTT client

        using var subscriber = new Client(Socket);
        subscriber.Send("{\"op\":\"subscribe\"}\n");
        Assert.True(JsonDocument.Parse(subscriber.ReadLine()).RootElement.GetProperty("ok").GetBoolean());
        Assert.True(Ask("{\"op\":\"policy-set\",\"mode\":\"lockdown\",\"pin\":\"4711\"}").GetProperty("ok").GetBoolean());

        // The switch raised an alarm, which republishes the status within a second: the subscriber sees the new mode.
        JsonElement pushed = JsonDocument.Parse(subscriber.ReadLine()).RootElement;
        Assert.Equal("lockdown", pushed.GetProperty("status").GetProperty("policy").GetProperty("mode").GetString());

        (int code, string summary, string error) = await Product.RunAsync("status", "--socket", Socket);
        Assert.True(code == 0, error);
        Assert.Contains("policy lockdown", summary, StringComparison.Ordinal);
        Assert.Contains("driver rig:", summary, StringComparison.Ordinal);
        Assert.Contains("lane wasmtime:modbus-parser:", summary, StringComparison.Ordinal);
        await StopAsync(daemon);
    }

    [Fact]
    public async Task ThePolicyIsSwitchedWithTheRightPinAndWrongOnesLockOutAcrossARestart()
    {
        using (ChildProcess daemon = await StartAsync())
        {
            (int switched, string said, string error) = await PolicySetAsync("secure-channel", "4711");
            Assert.True(switched == 0, error);
            Assert.Equal("policy mode secure-channel (was data-diode)", said.Trim());
            Assert.Contains("Breach mode is not allowed by the configuration", (await PolicySetAsync("breach", "4711")).Error, StringComparison.Ordinal);

            Assert.Contains("wrong PIN (1 in a row", (await PolicySetAsync("lockdown", "0000")).Error, StringComparison.Ordinal);
            Assert.Contains("wrong PIN (2 in a row", (await PolicySetAsync("lockdown", "0000")).Error, StringComparison.Ordinal);
            Assert.Contains("wrong PIN (3 in a row); locked out for 30 s", (await PolicySetAsync("lockdown", "0000")).Error, StringComparison.Ordinal);
            Assert.Contains("locked out", (await PolicySetAsync("lockdown", "4711")).Error, StringComparison.Ordinal); // even the right one
            await StopAsync(daemon);
        }

        using (ChildProcess restarted = await StartAsync())
        {
            Assert.Contains("locked out", (await PolicySetAsync("lockdown", "4711")).Error, StringComparison.Ordinal);
            Assert.Equal("secure-channel", Ask("{\"op\":\"policy-get\"}").GetProperty("mode").GetString()); // the mode switched to, kept
            await StopAsync(restarted);
        }

        string[] audit = File.ReadAllLines(Path.Combine(_dir.Path, "audit.log"));
        Assert.Contains(audit, line => line.Contains("\"event\":\"mode\",\"mode\":\"secure-channel\",\"detail\":\"from data-diode, by control client uid ", StringComparison.Ordinal));
        Assert.True(audit.Count(line => line.Contains("\"event\":\"mode-refused\"", StringComparison.Ordinal)) >= 5, "every refused switch is audited");
        Assert.Equal(0, (await Product.RunAsync("audit", "verify", Path.Combine(_dir.Path, "audit.log"))).ExitCode);
    }

    [Fact]
    public async Task HostileClientsGetErrorsOrAreDroppedAndThePollsGoOnWithoutAGap()
    {
        using ChildProcess daemon = await StartAsync();
        daemon.WaitForStdoutLine(Topic);

        Assert.StartsWith("the request is not JSON", AskError("this is not json"), StringComparison.Ordinal);
        Assert.StartsWith("unknown op \"reboot\"", AskError("{\"op\":\"reboot\"}"), StringComparison.Ordinal);
        Assert.StartsWith("the request needs \"op\"", AskError("[1,2,3]"), StringComparison.Ordinal);
        Assert.StartsWith("policy-set needs \"mode\"", AskError("{\"op\":\"policy-set\",\"mode\":\"open\",\"pin\":\"4711\"}"), StringComparison.Ordinal);
        Assert.StartsWith("fault injection cannot be switched here", AskError("{\"op\":\"faults\",\"on\":true}"), StringComparison.Ordinal);
        using (var oversized = new Client(Socket))
        {
            oversized.Send(new string('x', 10_000));
            Assert.StartsWith("a request is one line of at most 4096 bytes", JsonDocument.Parse(oversized.ReadLine()).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        }

        // Too many at once: the 17th is told so; one that asks and never reads is dropped after its write timeout.
        // Each of the 16 is known to be served (it got an answer) before the next: the clients above end on the daemon's
        // side a little after they closed, and one counted then is told "too many" and tries again.
        var idle = new List<Client>();
        int refused = 0;
        while (idle.Count < 16)
        {
            var client = new Client(Socket);
            client.Send("{\"op\":\"policy-get\"}\n");
            if (JsonDocument.Parse(client.ReadLine()).RootElement.GetProperty("ok").GetBoolean())
            {
                idle.Add(client);
                continue;
            }

            client.Dispose();
            Assert.True(idle.Count >= 10 && ++refused < 300, "clients that closed long ago still count against the limit");
            Thread.Sleep(100);
        }

        using (var extra = new Client(Socket))
        {
            Assert.StartsWith("too many clients", JsonDocument.Parse(extra.ReadLine()).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        }

        idle.ForEach(client => client.Dispose());
        using var deaf = new Client(Socket);
        bool dropped = false;
        for (int i = 0; i < 100_000 && !dropped; i++)
        {
            dropped = !deaf.TrySend("{\"op\":\"status\"}\n"); // never reads an answer: the daemon's writes stall, it drops the client
        }

        Assert.True(dropped, "a client that never reads was not dropped");

        // Meanwhile the data path: every poll published, seq without a gap, and polls still coming.
        long before = LastSeq(daemon);
        daemon.WaitForStdoutLine($"\"seq\":{before + 3},");
        Assert.True(Ask("{\"op\":\"status\"}").GetProperty("ok").GetBoolean(), "the channel still answers");
        await StopAsync(daemon);
        List<long> seqs = [.. daemon.Stdout.Split('\n').Where(line => line.StartsWith(Topic + " ", StringComparison.Ordinal))
            .Select(line => JsonDocument.Parse(line[(Topic.Length + 1)..]).RootElement.GetProperty("seq").GetInt64())];
        Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
    }

    [Fact]
    public async Task TheConsoleOpsAnswerTheLastValuesAndTheRecentLogAndRefuseBadArguments()
    {
        using ChildProcess daemon = await StartAsync();
        string published = daemon.WaitForStdoutLine(Topic);

        JsonElement values = Ask("{\"op\":\"values\"}");
        Assert.True(values.GetProperty("ok").GetBoolean());
        Assert.False(values.GetProperty("truncated").GetBoolean());
        JsonElement process = values.GetProperty("streams").EnumerateArray().Single(stream => stream.GetProperty("stream").GetString() == "plc-1/process");
        Assert.Equal(Topic, process.GetProperty("topic").GetString());
        JsonElement message = process.GetProperty("message");
        Assert.True(message.GetProperty("seq").GetInt64() >= 1);
        Assert.Equal(4, message.GetProperty("values").EnumerateObject().Count() + message.GetProperty("errors").EnumerateObject().Count());
        Assert.Contains(values.GetProperty("streams").EnumerateArray(), stream => stream.GetProperty("stream").GetString() == "rig/driver");
        Assert.Equal(0, values.GetProperty("relays").GetArrayLength());
        Assert.True(published.Length > 0);

        // A switch refused for a wrong PIN shows in both: the log ring (the alarm's log line) and the audit tail.
        Assert.False(Ask("{\"op\":\"policy-set\",\"mode\":\"lockdown\",\"pin\":\"0000\"}").GetProperty("ok").GetBoolean());
        JsonElement log = Ask("{\"op\":\"log\",\"lines\":200}");
        Assert.True(log.GetProperty("ok").GetBoolean());
        Assert.Contains(log.GetProperty("log").EnumerateArray(), line => line.GetProperty("text").GetString()!.Contains("control channel listening", StringComparison.Ordinal));
        Assert.Contains(log.GetProperty("audit").EnumerateArray(), entry => entry.GetProperty("event").GetString() == "mode-refused");
        Assert.Single(Ask("{\"op\":\"log\",\"lines\":1}").GetProperty("log").EnumerateArray());

        JsonElement status = Ask("{\"op\":\"status\"}");
        Assert.True(status.GetProperty("uptime_s").GetInt64() >= 0);
        Assert.False(status.GetProperty("fault_injection_switchable").GetBoolean());

        Assert.StartsWith("log needs \"lines\": a whole number from 1 to 200", AskError("{\"op\":\"log\",\"lines\":0}"), StringComparison.Ordinal);
        Assert.StartsWith("log needs \"lines\"", AskError("{\"op\":\"log\",\"lines\":\"all\"}"), StringComparison.Ordinal);
        Assert.StartsWith("log needs \"lines\"", AskError("{\"op\":\"log\",\"lines\":1e9}"), StringComparison.Ordinal);
        Assert.StartsWith("fault injection cannot be switched here", AskError("{\"op\":\"faults\",\"on\":true,\"lane\":2}"), StringComparison.Ordinal);
        Assert.Contains("values, log", AskError("{\"op\":\"nothing\"}"), StringComparison.Ordinal);
        await StopAsync(daemon);
    }

    [Fact]
    public async Task AfterAKillTheRestartedDaemonKeepsTheSwitchedModeReplacesTheStaleSocketAndAnswers()
    {
        using (ChildProcess first = await StartAsync())
        {
            Assert.True(Ask("{\"op\":\"policy-set\",\"mode\":\"lockdown\",\"pin\":\"4711\"}").GetProperty("ok").GetBoolean());
            first.Signal(9);
            Assert.Equal(137, await first.WaitForExitAsync());
        }

        Assert.True(File.Exists(Socket), "the killed daemon left its socket behind");
        using ChildProcess second = await StartAsync();

        JsonElement status = Ask("{\"op\":\"status\"}");
        Assert.Equal("lockdown", status.GetProperty("status").GetProperty("policy").GetProperty("mode").GetString()); // a power cut does not undo it
        Assert.Contains(File.ReadLines(Path.Combine(_dir.Path, "audit.log")), line => line.Contains("\"mode\":\"lockdown\",\"detail\":\"at start, kept from before the restart", StringComparison.Ordinal));
        second.WaitForStdoutLine("appliance/gateway-01/plc-1/process"); // and it polls
        Assert.Equal(0, (await Product.RunAsync("audit", "verify", Path.Combine(_dir.Path, "audit.log"))).ExitCode);
        await StopAsync(second);
    }

    private static long LastSeq(ChildProcess daemon) =>
        daemon.Stdout.Split('\n').Where(line => line.StartsWith(Topic + " ", StringComparison.Ordinal))
            .Select(line => JsonDocument.Parse(line[(Topic.Length + 1)..]).RootElement.GetProperty("seq").GetInt64()).Last();

    private async Task<ChildProcess> StartAsync()
    {
        string pin = Path.Combine(_dir.Path, "console.pin");
        if (!File.Exists(pin))
        {
            (int made, _, string error) = await ChildProcess.RunAsync("sh", "-c", $"echo 4711 | '{Product.Binary}' pin set '{pin}'");
            Assert.True(made == 0, error);
        }

        (_, string example, _) = await Product.RunAsync("config", "example");
        string config = _dir.File("appliance.toml", example
            .ReplaceExactly("port = 5020", $"port = {_plcPort.ToString(CultureInfo.InvariantCulture)}")
            .ReplaceExactly("interval = \"1s\"", "interval = \"200ms\"")
            .ReplaceExactly("/var/lib/appliance/spool.db", Path.Combine(_dir.Path, "spool.db"))
            .ReplaceExactly("/var/lib/appliance/audit.log", Path.Combine(_dir.Path, "audit.log"))
            .ReplaceExactly("/var/lib/appliance/policy-mode", Path.Combine(_dir.Path, "policy-mode"))
            .ReplaceExactly("socket = \"\"", $"socket = \"{Socket}\"")
            .ReplaceExactly("/etc/appliance/console.pin", pin)
            .ReplaceExactly("/var/lib/appliance/pin-lockout.json", Path.Combine(_dir.Path, "pin-lockout.json")) + $"""

            [[driver]]
            name = "rig"
            module = "sensor-driver-demo"
            root = "{Path.Combine(_dir.Path, "sensors")}"
            """);
        ChildProcess daemon = ChildProcess.Start(Product.Binary, ["run", "--config", config, "--console"]);
        daemon.WaitForStderrLine("control channel listening");
        return daemon;
    }

    private static async Task StopAsync(ChildProcess daemon)
    {
        daemon.Signal(15);
        Assert.True(await daemon.WaitForExitAsync() == 0, daemon.Stderr);
    }

    private async Task<(int Code, string Output, string Error)> PolicySetAsync(string mode, string pin)
    {
        string file = _dir.File("pin-" + Guid.NewGuid().ToString("N"), pin + "\n");
        return await Product.RunAsync("policy", "set", mode, "--pin-file", file, "--socket", Socket);
    }

    private JsonElement Ask(string request)
    {
        using var client = new Client(Socket);
        client.Send(request + "\n");
        return JsonDocument.Parse(client.ReadLine()).RootElement.Clone();
    }

    private string AskError(string request)
    {
        JsonElement answer = Ask(request);
        Assert.False(answer.GetProperty("ok").GetBoolean());
        return answer.GetProperty("error").GetString()!;
    }

    /// <summary>A raw client of the Unix socket.</summary>
    private sealed class Client : IDisposable
    {
        private readonly System.Net.Sockets.Socket _socket = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        private readonly List<byte> _pending = [];

        public Client(string path)
        {
            _socket.Connect(new UnixDomainSocketEndPoint(path));
            _socket.ReceiveTimeout = 15_000;
            _socket.SendTimeout = 5_000;
        }

        public void Send(string text) => _socket.Send(Encoding.UTF8.GetBytes(text));

        public bool TrySend(string text)
        {
            try
            {
                Send(text);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }

        public string ReadLine()
        {
            byte[] buffer = new byte[65536];
            while (true)
            {
                int newline = _pending.IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    string line = Encoding.UTF8.GetString([.. _pending.Take(newline)]);
                    _pending.RemoveRange(0, newline + 1);
                    return line;
                }

                int read = _socket.Receive(buffer);
                if (read == 0)
                {
                    throw new IOException("the daemon closed the connection");
                }

                _pending.AddRange(buffer.AsSpan(0, read).ToArray());
            }
        }

        public void Dispose() => _socket.Dispose();
    }
}
