using System.Globalization;
using Appliance.Testing;

namespace Appliance.Tests.Restart;

/// <summary>
/// The published binary loses power (SIGKILL) and is started again with the same configuration, as an appliance is.
/// Each time the restarted gateway polls again within seconds, delivers everything committed, and carries on the
/// sequence numbers without a gap. The regression of issue 9: killed with the spool drained, it used to spin at
/// 100 % CPU and never poll again.
/// </summary>
public sealed class KillAndRestartTests : IDisposable
{
    private const string Topic = "appliance/gateway-01/plc-1/process";
    private const string Stream = "plc-1/process";
    private const int SigKill = 9;
    private const int SigTerm = 15;

    private readonly TempDirectory _directory = new();
    private readonly int _plcPort = FreePort.Next();
    private readonly int _brokerPort = FreePort.Next();
    private readonly ChildProcess _plc;

    public KillAndRestartTests()
    {
        _plc = ChildProcess.Start(Product.Binary, ["plc-sim", "--listen", $"127.0.0.1:{_plcPort.ToString(CultureInfo.InvariantCulture)}"]);
        _plc.WaitForStderrLine("listening");
        Spool = new SpoolFile(Path.Combine(_directory.Path, "var", "spool.db"));
    }

    private SpoolFile Spool { get; }

    public void Dispose()
    {
        _plc.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task KilledWithTheSpoolDrainedItPollsAgainAndIdlesWithoutSpinning()
    {
        string config = await ConfigAsync(interval: "200ms");
        using Mosquitto broker = Mosquitto.Start(port: _brokerPort);
        using var subscriber = new TelemetrySubscriber(_brokerPort);
        using (ChildProcess first = StartGateway(config))
        {
            subscriber.WaitUntil(s => s.Max(Topic) >= 5, "the first run delivered 5 messages");
            WaitUntilDrained();
            await KillAsync(first);
        }

        Assert.Equal(0, Spool.Queued());
        Assert.True(Spool.LastIdGiven() > 0, "ids were given out and all deleted: the case that used to spin");
        long before = Spool.LastSeq(Stream);
        subscriber.WaitUntil(s => s.Max(Topic) == before, "everything committed before the kill arrived");

        using ChildProcess second = StartGateway(config);
        subscriber.WaitUntil(s => s.Max(Topic) >= before + 10, "the restarted gateway delivered 10 new polls");
        Assert.Equal(Range(1, subscriber.Max(Topic)), subscriber.Seqs(Topic));

        // Between polls every 200 ms it waits: three seconds of wall time cost a small part of one core's time.
        TimeSpan cpu = CpuTimeOver(second.Id, TimeSpan.FromSeconds(3));
        Assert.True(cpu < TimeSpan.FromSeconds(1), $"the gateway used {cpu.TotalMilliseconds:F0} ms of CPU in 3 s: something spins");
        await StopAsync(second);
        Assert.True(Spool.Queued() == 0, "a clean stop with the broker up delivers what was spooled, the last status included");
    }

    [Fact]
    public async Task KilledWithRowsQueuedItPollsAgainAndDeliversEverythingOnceTheBrokerIsBack()
    {
        string config = await ConfigAsync(interval: "50ms");
        using (ChildProcess first = StartGateway(config))
        {
            WaitUntil(() => Spool.LastSeq(Stream) >= 10, "the first run committed 10 messages with the broker down");
            await KillAsync(first);
        }

        Assert.Equal("ok", Spool.IntegrityCheck());
        long before = Spool.LastSeq(Stream);
        Assert.Equal(Range(1, before), new SortedSet<long>(Spool.QueuedSeqs(Topic)));

        using ChildProcess second = StartGateway(config);
        WaitUntil(() => Spool.LastSeq(Stream) >= before + 10, "the restarted gateway committed 10 new polls, broker still down");
        List<long> queued = Spool.QueuedSeqs(Topic);
        Assert.Equal(Range(1, queued[^1]), new SortedSet<long>(queued));

        using Mosquitto broker = Mosquitto.Start(port: _brokerPort);
        using var subscriber = new TelemetrySubscriber(_brokerPort);
        long target = Spool.LastSeq(Stream) + 5;
        subscriber.WaitUntil(s => s.Max(Topic) >= target, "the backlog and new polls arrived");
        await StopAsync(second);
        subscriber.WaitUntil(s => s.Max(Topic) >= Spool.LastSeq(Stream), "the last committed message arrived");
        Assert.Equal(Range(1, Spool.LastSeq(Stream)), subscriber.Seqs(Topic));
    }

    /// <summary>APPLIANCE_RESTART_KILLS sets the number of kills (5 by default; the long run uses 50).</summary>
    [Fact]
    public async Task KilledAtRandomMomentsManyTimesItLosesNothingLeavesNoGapAndPollsAfterEveryRestart()
    {
        int kills = int.TryParse(Environment.GetEnvironmentVariable("APPLIANCE_RESTART_KILLS"), CultureInfo.InvariantCulture, out int n) ? n : 5;
        int seed = Environment.TickCount;
        var random = new Random(seed);
        string config = await ConfigAsync(interval: "20ms");
        using Mosquitto broker = Mosquitto.Start(port: _brokerPort);
        using var subscriber = new TelemetrySubscriber(_brokerPort);
        for (int kill = 1; kill <= kills; kill++)
        {
            long committed = File.Exists(Spool.Path) ? Spool.LastSeq(Stream) : 0;
            using ChildProcess gateway = StartGateway(config);
            subscriber.WaitUntil(s => s.Max(Topic) > committed, $"run {kill} (seed {seed}) delivered a poll of its own");
            Thread.Sleep(random.Next(0, 300)); // the random moment of the kill, in the middle of commits: not a wait for anything
            await KillAsync(gateway);
            Assert.True(Spool.IntegrityCheck() == "ok", $"kill {kill} (seed {seed}): the spool is damaged");
        }

        long beforeLast = Spool.LastSeq(Stream);
        using ChildProcess last = StartGateway(config);
        subscriber.WaitUntil(s => s.Max(Topic) > beforeLast, "the last run delivered a poll of its own");
        await StopAsync(last);
        long final = Spool.LastSeq(Stream);
        subscriber.WaitUntil(s => s.Seqs(Topic).Count >= final, $"every committed message of {kills} runs arrived (seed {seed})");
        Assert.Equal(Range(1, final), subscriber.Seqs(Topic));
    }

    /// <summary>
    /// A vendor driver beside the data path: killed three times at random moments, its readings keep their sequence
    /// without a gap or a loss, the audit log's hash chain stays intact (a torn last line is cut off and recorded), and
    /// after every restart the driver polls and publishes again.
    /// </summary>
    [Fact]
    public async Task KilledWhileADriverRunsItsReadingsAndTheAuditChainCarryOnAndItPollsAgain()
    {
        const string DriverTopic = "appliance/gateway-01/attacker/driver";
        string root = Path.Combine(_directory.Path, "sensors");
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "pressure"), "4.25\n");
        string audit = Path.Combine(_directory.Path, "var", "audit.log");
        string config = await ConfigAsync(interval: "200ms", extra: $"""

            [[driver]]
            name = "attacker"
            module = "sensor-driver-attacker"
            root = "{root}"
            interval = "100ms"
            """, audit: audit);
        int seed = Environment.TickCount;
        var random = new Random(seed);
        using Mosquitto broker = Mosquitto.Start(port: _brokerPort);
        using var subscriber = new TelemetrySubscriber(_brokerPort);
        for (int kill = 1; kill <= 3; kill++)
        {
            long delivered = subscriber.Max(DriverTopic);
            using ChildProcess gateway = StartGateway(config);
            subscriber.WaitUntil(s => s.Max(DriverTopic) > delivered, $"run {kill} (seed {seed}): the driver published a reading of its own");
            Thread.Sleep(random.Next(0, 300)); // the random moment of the kill: not a wait for anything
            await KillAsync(gateway);
            (int verified, string said, string problems) = await Product.RunAsync("audit", "verify", audit);
            Assert.True(verified == 0, $"kill {kill} (seed {seed}): {said}{problems}");
        }

        long beforeLast = Spool.LastSeq("attacker/driver");
        using ChildProcess last = StartGateway(config);
        subscriber.WaitUntil(s => s.Max(DriverTopic) > beforeLast, "the last run's driver published");
        await StopAsync(last);
        long final = Spool.LastSeq("attacker/driver");
        subscriber.WaitUntil(s => s.Seqs(DriverTopic).Count >= final, $"every committed reading arrived (seed {seed})");
        Assert.Equal(Range(1, final), subscriber.Seqs(DriverTopic));
        Assert.Equal(0, (await Product.RunAsync("audit", "verify", audit)).ExitCode);
    }

    /// <summary>
    /// The board's sensors beside the data path: killed twice at random moments, the board's telemetry keeps its
    /// sequence without a gap or a loss, and after every restart the sensors are read and published again.
    /// </summary>
    [Fact]
    public async Task KilledWhileTheBoardIsReadItsTelemetryCarriesOnAndItReadsAgain()
    {
        const string BoardTopic = "appliance/gateway-01/board/sensors";
        string probe = Path.Combine(_directory.Path, "w1", "28-000000000001");
        Directory.CreateDirectory(probe);
        File.WriteAllText(Path.Combine(probe, "w1_slave"), "72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=23125\n");
        string config = await ConfigAsync(interval: "200ms", extra: $"""

            [board]
            interval = "1s"
            [[board.ds18b20]]
            name = "inlet"
            device = "{probe}"
            """);
        int seed = Environment.TickCount;
        var random = new Random(seed);
        using Mosquitto broker = Mosquitto.Start(port: _brokerPort);
        using var subscriber = new TelemetrySubscriber(_brokerPort);
        for (int kill = 1; kill <= 2; kill++)
        {
            long delivered = subscriber.Max(BoardTopic);
            using ChildProcess gateway = StartGateway(config);
            subscriber.WaitUntil(s => s.Max(BoardTopic) > delivered, $"run {kill} (seed {seed}): the board published a reading of its own");
            Thread.Sleep(random.Next(0, 1000)); // the random moment of the kill: not a wait for anything
            await KillAsync(gateway);
        }

        long beforeLast = Spool.LastSeq(BoardPollerStream);
        using ChildProcess last = StartGateway(config);
        subscriber.WaitUntil(s => s.Max(BoardTopic) > beforeLast, "the last run read the board again");
        await StopAsync(last);
        long final = Spool.LastSeq(BoardPollerStream);
        subscriber.WaitUntil(s => s.Seqs(BoardTopic).Count >= final, $"every committed board message arrived (seed {seed})");
        Assert.Equal(Range(1, final), subscriber.Seqs(BoardTopic));
    }

    private const string BoardPollerStream = "board/sensors";

    private static SortedSet<long> Range(long first, long last) => [.. Enumerable.Range((int)first, (int)(last - first + 1)).Select(i => (long)i)];

    /// <summary>CPU time (user + system) the process used during <paramref name="wall"/>, from /proc/PID/stat.</summary>
    private static TimeSpan CpuTimeOver(int processId, TimeSpan wall)
    {
        long before = CpuTicks(processId);
        Thread.Sleep(wall); // the measured span itself, not a wait for an event
        long after = CpuTicks(processId);
        return TimeSpan.FromSeconds((after - before) / 100.0); // USER_HZ is 100 on Linux
    }

    private static long CpuTicks(int processId)
    {
        string stat = File.ReadAllText($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture); // utime, stime
    }

    private static async Task KillAsync(ChildProcess gateway)
    {
        gateway.Signal(SigKill);
        Assert.Equal(137, await gateway.WaitForExitAsync());
    }

    private static async Task StopAsync(ChildProcess gateway)
    {
        gateway.Signal(SigTerm);
        Assert.True(await gateway.WaitForExitAsync() == 0, gateway.Stderr);
    }

    private static ChildProcess StartGateway(string config)
    {
        ChildProcess gateway = ChildProcess.Start(Product.Binary, ["run", "--config", config]);
        gateway.WaitForStderrLine("data path running");
        return gateway;
    }

    private static void WaitUntil(Func<bool> condition, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"gave up waiting until {what}");
            Thread.Sleep(20);
        }
    }

    /// <summary>Waits until the spool holds nothing: every message delivered and deleted (the next poll is a poll interval away).</summary>
    private void WaitUntilDrained() => WaitUntil(() => Spool.Queued() == 0, "the spool is drained");

    private async Task<string> ConfigAsync(string interval, string extra = "", string? audit = null)
    {
        (int exit, string example, string error) = await Product.RunAsync("config", "example");
        Assert.True(exit == 0, error);
        return _directory.File("appliance.toml", example
            .ReplaceExactly("port = 5020", $"port = {_plcPort.ToString(CultureInfo.InvariantCulture)}")
            .ReplaceExactly("interval = \"1s\"", $"interval = \"{interval}\"")
            .ReplaceExactly("mqtt://127.0.0.1:1883", $"mqtt://127.0.0.1:{_brokerPort.ToString(CultureInfo.InvariantCulture)}")
            .ReplaceExactly("/var/lib/appliance/spool.db", Spool.Path)
            .ReplaceExactly("/var/lib/appliance/audit.log", audit ?? Path.Combine(_directory.Path, "var", "audit.log"))
            .ReplaceExactly("/var/lib/appliance/policy-mode", Path.Combine(_directory.Path, "var", "policy-mode")) + extra);
    }
}
