using System.Globalization;
using System.Text.Json;
using Appliance.Mqtt.Spool;
using Appliance.Testing;
using SpoolQueue = Appliance.Mqtt.Spool.Spool;

namespace Appliance.Mqtt.Tests.Spool;

/// <summary>
/// The published binary (<c>appliance run</c>, polling <c>appliance plc-sim</c> every 20 ms, broker down) is killed
/// with SIGKILL at random moments; after each kill the spool is reopened as a restart would. Its integrity check
/// passes, everything seen after an earlier kill is still there, and each run lost at most the one message per group
/// that was being committed when it died. Then a broker comes up and every spooled message arrives.
/// APPLIANCE_SPOOL_KILLS sets the number of kills (5 by default, the issue asks for 20).
/// </summary>
public sealed class SpoolCrashTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task KillNineAtRandomMomentsLosesNothingCommittedAndEverythingArrivesAfterwards()
    {
        int kills = int.TryParse(Environment.GetEnvironmentVariable("APPLIANCE_SPOOL_KILLS"), CultureInfo.InvariantCulture, out int n) ? n : 5;
        int seed = Environment.TickCount;
        var random = new Random(seed);
        string binary = Repository.PublishedBinary;
        int plcPort = FreePort.Next();
        int brokerPort = FreePort.Next(); // nothing listens here until the end
        string spoolPath = Path.Combine(_directory.Path, "var", "spool.db");
        using ChildProcess plc = ChildProcess.Start(binary, ["plc-sim", "--listen", $"127.0.0.1:{plcPort.ToString(CultureInfo.InvariantCulture)}"]);
        plc.WaitForStderrLine("listening");
        (int exit, string example, string exampleError) = await ChildProcess.RunAsync(binary, "config", "example");
        Assert.True(exit == 0, exampleError);
        string config = _directory.File("appliance.toml", example
            .ReplaceExactly("port = 5020", $"port = {plcPort.ToString(CultureInfo.InvariantCulture)}")
            .ReplaceExactly("interval = \"1s\"", "interval = \"20ms\"")
            .ReplaceExactly("mqtt://127.0.0.1:1883", $"mqtt://127.0.0.1:{brokerPort.ToString(CultureInfo.InvariantCulture)}")
            .ReplaceExactly("/var/lib/appliance/spool.db", spoolPath));

        var spooled = new Dictionary<string, List<long>>();
        for (int kill = 1; kill <= kills; kill++)
        {
            using (ChildProcess gateway = ChildProcess.Start(binary, ["run", "--config", config]))
            {
                gateway.WaitForStderrLine("data path running");
                Thread.Sleep(random.Next(20, 800)); // the random moment of the kill: not a wait for anything
                gateway.Signal(9);
                Assert.Equal(137, await gateway.WaitForExitAsync());
            }

            Dictionary<string, List<long>> now = await ReopenAsync(spoolPath, $"kill {kill} (seed {seed})");
            foreach ((string topic, List<long> before) in spooled)
            {
                List<long> after = now.GetValueOrDefault(topic, []);
                Assert.True(before.All(new HashSet<long>(after).Contains), $"kill {kill} (seed {seed}): {topic} lost messages committed before");
                List<long> added = after.Skip(before.Count).ToList();
                if (added.Count > 0)
                {
                    // The run may have died with one seq taken and its message not yet committed: at most a gap of one.
                    Assert.True(added[0] - before[^1] is 1 or 2, $"kill {kill} (seed {seed}): {topic} jumps from {before[^1]} to {added[0]}");
                }
            }

            spooled = now;
        }

        Assert.True(spooled.Values.Sum(list => list.Count) > 0, "the gateway committed something in all those runs");

        using Mosquitto broker = Mosquitto.Start(port: brokerPort);
        using ChildProcess subscriber = ChildProcess.Start("/usr/bin/stdbuf", ["-oL", "/usr/bin/mosquitto_sub", "-h", "127.0.0.1", "-p", brokerPort.ToString(CultureInfo.InvariantCulture), "-t", "appliance/+/+/+", "-q", "1", "-v", "-d"]);
        subscriber.WaitForStdoutLine("SUBACK");
        using ChildProcess last = ChildProcess.Start(binary, ["run", "--config", config]);
        var missing = spooled.SelectMany(pair => pair.Value.Select(seq => (pair.Key, seq))).ToHashSet();
        while (missing.Count > 0)
        {
            string line = subscriber.ReadStdoutLine(TimeSpan.FromSeconds(120)) ?? throw new InvalidOperationException("mosquitto_sub ended");
            string[] parts = line.Split(' ', 2);
            if (parts.Length == 2 && parts[1].StartsWith('{') && !line.StartsWith("Client ", StringComparison.Ordinal)
                && JsonDocument.Parse(parts[1]).RootElement.TryGetProperty("seq", out JsonElement seq))
            {
                missing.Remove((parts[0], seq.GetInt64()));
            }
        }

        last.Signal(15);
        Assert.Equal(0, await last.WaitForExitAsync());
    }

    /// <summary>Opens the spool as the restart does, checks its integrity, and returns the seqs it holds per topic, in spool order.</summary>
    private static async Task<Dictionary<string, List<long>>> ReopenAsync(string path, string when)
    {
        await using SpoolQueue spool = SpoolQueue.Open(new SpoolOptions { Path = path, MaxBytes = 256 << 20 });
        Assert.Equal("ok", spool.CheckIntegrity());
        var seqs = new Dictionary<string, List<long>>();
        foreach (SpooledMessage message in spool.ReadAfter(0, int.MaxValue))
        {
            if (!JsonDocument.Parse(message.Payload).RootElement.TryGetProperty("seq", out JsonElement seqElement))
            {
                continue; // the retained gateway status goes through the spool too
            }

            long seq = seqElement.GetInt64();
            List<long> list = seqs.TryGetValue(message.Topic, out List<long>? existing) ? existing : seqs[message.Topic] = [];
            Assert.True(list.Count == 0 || seq > list[^1], $"{when}: {message.Topic} seq {seq} after {(list.Count > 0 ? list[^1] : 0)} in spool order");
            list.Add(seq);
        }

        return seqs;
    }
}
