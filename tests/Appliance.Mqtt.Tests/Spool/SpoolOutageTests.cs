using System.Diagnostics;
using System.Globalization;
using System.Text;
using Appliance.Mqtt.Spool;
using Appliance.Testing;
using SpoolQueue = Appliance.Mqtt.Spool.Spool;

namespace Appliance.Mqtt.Tests.Spool;

/// <summary>
/// The spool and its pump against a real mosquitto that is stopped by its pid and started again on the same port
/// while telemetry keeps coming at about 100 messages per second. A mosquitto_sub with a persistent session (the
/// broker saves it on SIGTERM) sees every message, in order per topic. The outage lasts 300 messages (about 3 s);
/// APPLIANCE_SPOOL_OUTAGE_MESSAGES=3000 gives the issue's 30 s.
/// </summary>
public sealed class SpoolOutageTests : IDisposable
{
    private static readonly string[] Topics = ["spool-test/plc-1/fast", "spool-test/plc-1/slow"];
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task EveryMessageArrivesInOrderPerTopicAcrossABrokerOutage()
    {
        int outageMessages = int.TryParse(Environment.GetEnvironmentVariable("APPLIANCE_SPOOL_OUTAGE_MESSAGES"), CultureInfo.InvariantCulture, out int n) ? n : 300;
        const int Before = 300;
        const int After = 300;
        int total = Before + outageMessages + After;
        // mosquitto started as root drops to its own user before it saves: the directory must be writable for it.
        string persistence = Directory.CreateDirectory(Path.Combine(_directory.Path, "mosquitto"), (UnixFileMode)0x1FF).FullName + "/";
        File.SetUnixFileMode(persistence, (UnixFileMode)0x1FF);
        string[] brokerConfig = ["persistence true", $"persistence_location {persistence}", "max_queued_messages 0", "autosave_interval 3600"];
        Mosquitto broker = Mosquitto.Start(brokerConfig);
        int port = broker.Port;
        using ChildProcess subscriber = ChildProcess.Start("/usr/bin/stdbuf", ["-oL", "/usr/bin/mosquitto_sub", "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-t", "spool-test/#", "-q", "1", "-V", "mqttv5", "-c", "-x", "3600", "-i", "spool-watcher", "-d", "-F", "%t %p %P"]);
        subscriber.WaitForStdoutLine("SUBACK");
        var received = new Dictionary<string, List<long>>();
        int historical = 0;

        await using SpoolQueue spool = SpoolQueue.Open(new SpoolOptions { Path = Path.Combine(_directory.Path, "spool.db"), MaxBytes = 64 << 20 });
        var options = new MqttClientOptions
        {
            Broker = new MqttBrokerEndpoint(false, "127.0.0.1", port),
            ClientId = "spool-outage",
            StatusTopic = "spool-test-status/gw",
            BackoffInitial = TimeSpan.FromMilliseconds(200),
            BackoffMax = TimeSpan.FromSeconds(1),
            StableAfter = TimeSpan.FromSeconds(1),
            SpoolCounters = () => spool.Counters.ForHealth(),
        };
        MqttClient client = new(options);
        using var stop = new CancellationTokenSource();
        Task clientRunning = client.RunAsync(stop.Token);
        var pump = new SpoolPump(spool, client) { HistoricalAge = TimeSpan.FromSeconds(1) };
        Task pumpRunning = pump.RunAsync(stop.Token);

        var enqueued = new CountSignal();
        Task producing = ProduceAsync(spool, total, enqueued);
        try
        {
            ReadUntil(subscriber, received, Before / 2, ref historical);
            int pid = broker.ProcessId;
            using (Process kill = Process.Start("kill", ["-TERM", pid.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            await WaitForExitAsync(pid);
            broker.Dispose();
            long stoppedAt = enqueued.Count;
            await enqueued.WaitForAsync(stoppedAt + outageMessages);
            broker = Mosquitto.Start(brokerConfig, port);

            await producing.WaitAsync(TimeSpan.FromMinutes(5));
            ReadUntil(subscriber, received, total / Topics.Length, ref historical);
        }
        finally
        {
            await stop.CancelAsync();
            await client.DisposeAsync();
            await clientRunning;
            await pumpRunning;
            broker.Dispose();
        }

        foreach (string topic in Topics)
        {
            List<long> seqs = received[topic];
            var seen = new HashSet<long>();
            var firstSeen = new List<long>();
            foreach (long seq in seqs)
            {
                if (seen.Add(seq))
                {
                    firstSeen.Add(seq);
                }
            }

            // Every message once, in order; anything more is a QoS 1 re-send of a message already seen.
            Assert.Equal(Enumerable.Range(1, total / Topics.Length).Select(i => (long)i), firstSeen);
            Assert.True(seqs.Count - firstSeen.Count <= 2 * options.MaxInFlight, $"{topic}: {seqs.Count - firstSeen.Count} duplicates");
        }

        Assert.True(pump.Replayed > 0, "messages spooled during the outage went out marked historical");
        Assert.True(historical >= pump.Replayed, $"the subscriber saw {historical} messages with the user property historical=true; the pump replayed {pump.Replayed}");
        Assert.Equal(0, spool.Counters.Dropped);
    }

    private static async Task ProduceAsync(SpoolQueue spool, int total, CountSignal enqueued)
    {
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        for (int i = 0; i < total; i++)
        {
            string topic = Topics[i % Topics.Length];
            long seq = (i / Topics.Length) + 1;
            await spool.EnqueueAsync(topic, Encoding.UTF8.GetBytes($"{{\"seq\":{seq}}}"), MqttQos.AtLeastOnce, false);
            enqueued.Increment();
            await tick.WaitForNextTickAsync();
        }
    }

    /// <summary>Reads subscriber lines until every topic has seen <paramref name="perTopic"/>; debug lines of mosquitto_sub are skipped.</summary>
    private static void ReadUntil(ChildProcess subscriber, Dictionary<string, List<long>> received, long perTopic, ref int historical)
    {
        while (!Topics.All(topic => received.TryGetValue(topic, out List<long>? list) && list.Contains(perTopic)))
        {
            string line = subscriber.ReadStdoutLine(TimeSpan.FromSeconds(120)) ?? throw new InvalidOperationException("mosquitto_sub ended:\n" + subscriber.Stderr);
            if (line.StartsWith("Client ", StringComparison.Ordinal) || !line.StartsWith("spool-test/", StringComparison.Ordinal))
            {
                continue;
            }

            string[] parts = line.Split(' ');
            long seq = long.Parse(parts[1]["{\"seq\":".Length..^1], CultureInfo.InvariantCulture);
            if (parts.Length > 2 && parts[2] == "historical:true")
            {
                historical++;
            }

            (received.TryGetValue(parts[0], out List<long>? seqs) ? seqs : received[parts[0]] = []).Add(seq);
        }
    }

    private static async Task WaitForExitAsync(int pid)
    {
        try
        {
            using Process process = Process.GetProcessById(pid);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (ArgumentException)
        {
            // already gone
        }
    }

    /// <summary>A counter a test can wait on.</summary>
    private sealed class CountSignal
    {
        private readonly Lock _gate = new();
        private readonly List<(long Target, TaskCompletionSource Done)> _waiters = [];
        private long _count;

        public long Count
        {
            get
            {
                lock (_gate)
                {
                    return _count;
                }
            }
        }

        public void Increment()
        {
            lock (_gate)
            {
                _count++;
                foreach ((long target, TaskCompletionSource done) in _waiters.Where(w => w.Target <= _count))
                {
                    done.TrySetResult();
                }

                _waiters.RemoveAll(w => w.Target <= _count);
            }
        }

        public Task WaitForAsync(long target)
        {
            lock (_gate)
            {
                if (_count >= target)
                {
                    return Task.CompletedTask;
                }

                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add((target, done));
                return done.Task.WaitAsync(TimeSpan.FromMinutes(5));
            }
        }
    }
}
