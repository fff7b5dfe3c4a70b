using System.Globalization;
using System.Text;
using System.Text.Json;
using Appliance.Testing;

namespace Appliance.Tests.Drivers;

/// <summary>
/// The threat of the driver sandbox, on the wire: the published appliance runs the hostile driver
/// (guest/sensor-driver-attacker) inside a network namespace this test creates, with the plant's allowlisted address
/// 10.0.0.50:502, its neighbours 10.0.0.50:5020 and 10.0.0.5:502 and a "cloud" at 10.0.0.66:443 on an interface in
/// it, and listeners on all four. The namespace has no route out. For each policy mode the listeners show exactly what
/// got out: nothing in Data Diode and Lockdown, only the allowlisted endpoint in Secure Channel, everything the
/// attacker tried in Breach; every bypass spelling and every path attack is denied (and audited) in every mode.
/// </summary>
public sealed class NetnsExfiltrationTests(ModeRuns modes) : IClassFixture<ModeRuns>, IDisposable
{
    private const string Allowed = "10.0.0.50_502";
    private const string Payload = "pressure=4.25\n";

    /// <summary>The attacker's spellings that must never connect, whatever the mode (none is an exact endpoint).</summary>
    private static readonly string[] BadSpellings =
    [
        "10.0.0.500:502", "010.0.0.50:502", "10.0.0.50.evil.example:502", "10.0.0.50:502,10.0.0.66:443",
        "10.0.0.50:502 10.0.0.66:443", "10.0.0.50:502\n10.0.0.66:443", "0x0a.0.0.50:502", "167772210:502",
    ];

    /// <summary>Exact endpoints other than the allowlisted one: denied unless in Breach.</summary>
    private static readonly string[] OtherEndpoints = ["10.0.0.50:5020", "10.0.0.5:502", "[::ffff:10.0.0.50]:502", "10.0.0.66:443"];

    /// <summary>The paths that leave the root (or are links): denied in every mode.</summary>
    private static readonly string[] PathAttacks = ["../secret", "/etc/passwd", "sub/../../secret", "link-out", "link-in", "/proc/self/environ", "proc-self/environ"];

    private readonly TempDirectory _dir = new();

    /// <summary>
    /// The attack table: what the attacker got for each attack in each mode (its own log line for it). Endpoints that
    /// are not exact are refused as bad addresses in every mode, even Breach; files stay below the root in every mode.
    /// </summary>
    public static TheoryData<string, string, string> AttackTable()
    {
        var rows = new TheoryData<string, string, string>();
        string[] modes = ["data-diode", "secure-channel", "lockdown", "breach"];
        foreach (string mode in modes)
        {
            bool files = mode != "lockdown";
            rows.Add(mode, "exfil 10.0.0.50:502", mode is "secure-channel" or "breach" ? "sent" : "denied");
            foreach (string other in (string[])["10.0.0.50:5020", "10.0.0.5:502", "10.0.0.66:443"])
            {
                rows.Add(mode, "exfil " + other, mode == "breach" ? "sent" : "denied");
            }

            rows.Add(mode, "exfil [::ffff:10.0.0.50]:502", mode == "breach" ? "unreachable" : "denied");
            foreach (string spelling in BadSpellings)
            {
                rows.Add(mode, "exfil " + spelling.Replace("\n", "\\u000a", StringComparison.Ordinal), "bad-address");
            }

            foreach (string path in PathAttacks)
            {
                rows.Add(mode, "path " + path, "denied");
            }

            rows.Add(mode, "path sub/../pressure", files ? "ok 5 bytes" : "denied");
            rows.Add(mode, "path ", files ? "not-found" : "denied");
            rows.Add(mode, "path .", files ? "wrong-kind" : "denied");
            rows.Add(mode, "dir ..", "denied");
            rows.Add(mode, "dir /", "denied");
            rows.Add(mode, "dir .", files ? "ok 6 names" : "denied");
            rows.Add(mode, "huge big", files ? "too-large" : "denied");
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(AttackTable))]
    public async Task EachAttackGetsWhatTheModeAllowsAndNoMore(string mode, string attack, string expected)
    {
        NetnsRun run = await modes.Of(mode);

        Assert.True(run.Attacks.TryGetValue(attack, out string? got), $"the attacker did not report \"{attack}\"; it reported: {string.Join(" | ", run.Attacks.Keys)}");
        Assert.Equal(expected, got);
    }

    private bool _prepared;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task DataDiodeLetsNothingOut()
    {
        NetnsRun run = await modes.Of("data-diode");

        Assert.All(run.Received, pair => Assert.True(pair.Value.Length == 0, $"{pair.Key} received {pair.Value.Length} bytes"));
        Assert.Equal(4.25, run.Last("pressure"));
        Assert.Equal(0, run.Last("exfil_sent"));
        run.AssertDenied("connect", ["10.0.0.50:502", .. OtherEndpoints, .. BadSpellings]);
        run.AssertDenied("read-file", PathAttacks);
    }

    [Fact]
    public async Task SecureChannelLetsOutTheAllowlistedEndpointOnly()
    {
        NetnsRun run = await modes.Of("secure-channel");

        Assert.StartsWith(Payload + Payload, Encoding.ASCII.GetString(run.Received[Allowed]), StringComparison.Ordinal); // every poll sent it
        Assert.All(run.Received.Where(pair => pair.Key != Allowed), pair => Assert.True(pair.Value.Length == 0, $"{pair.Key} received {pair.Value.Length} bytes"));
        Assert.Equal(1, run.Last("exfil_sent"));
        run.AssertDenied("connect", [.. OtherEndpoints, .. BadSpellings]);
        run.AssertNotDenied("connect", "10.0.0.50:502");
        run.AssertDenied("read-file", PathAttacks);
    }

    [Fact]
    public async Task LockdownLetsNothingOutAndReadsNoFile()
    {
        NetnsRun run = await modes.Of("lockdown");

        Assert.All(run.Received, pair => Assert.True(pair.Value.Length == 0, $"{pair.Key} received {pair.Value.Length} bytes"));
        Assert.Equal(0, run.Last("pressure")); // the attacker could not read it
        Assert.Equal(0, run.Last("paths_read"));
        run.AssertDenied("read-file", ["pressure", .. PathAttacks]);
        run.AssertDenied("connect", ["10.0.0.50:502", .. OtherEndpoints]);
    }

    [Fact]
    public async Task BreachLetsOutEverythingTheAttackerTriedExceptWhatIsNoEndpointAtAll()
    {
        NetnsRun run = await modes.Of("breach");

        foreach (string endpoint in new[] { Allowed, "10.0.0.50_5020", "10.0.0.5_502", "10.0.0.66_443" })
        {
            Assert.Contains(Payload, Encoding.ASCII.GetString(run.Received[endpoint]), StringComparison.Ordinal);
        }

        // The four listeners. [::ffff:10.0.0.50]:502 is allowed too but goes out as IPv6 (the host's sockets are not
        // dual-mode), where no listener is: the attempt is not denied, the network refuses it.
        Assert.Equal(4, run.Last("exfil_sent"));
        run.AssertNotDenied("connect", "[::ffff:10.0.0.50]:502");
        Assert.Contains("\"policy\":{\"mode\":\"breach\",\"breach_allowed\":true,\"warning\":\"BREACH MODE", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("BREACH MODE IS ACTIVE", run.Stderr, StringComparison.Ordinal);
        run.AssertDenied("connect", BadSpellings); // not an endpoint: refused even here
        run.AssertDenied("read-file", PathAttacks); // files stay below the root in every mode
    }

    [Fact]
    public async Task BreachIsRefusedWithoutTheConfigurationsPermissionAndNothingGetsOut()
    {
        NetnsRun run = await RunAsync("breach", allowBreach: false);

        Assert.Contains("drivers.mode = \"breach\" lets drivers reach any endpoint; it is refused unless allow_breach = true", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("appliance/gateway-01/attacker/driver", run.Stdout, StringComparison.Ordinal);
        Assert.All(run.Received, pair => Assert.Empty(pair.Value));
    }

    [Fact]
    public async Task AFloodIsCutAtTheQuotaEvenToTheAllowlistedEndpoint()
    {
        Prepare();
        File.WriteAllText(Path.Combine(_dir.Path, "sensors", "attacks"), "flood\n");

        NetnsRun run = await RunAsync("secure-channel");

        // Each poll opens a connection and floods it: cut at bytes_per_connection (64 KiB by default), and all of them
        // within a minute at bytes_per_minute (256 KiB): a run of under 3 s polls at most 3 times.
        int received = run.Received[Allowed].Length;
        Assert.True(received % (64 * 1024) == 0 && received is >= 64 * 1024 and <= 256 * 1024, $"received {received} bytes");
        Assert.Contains("bytes sent in 16 sends, then quota", run.Stderr, StringComparison.Ordinal); // the driver was told
        Assert.Contains("\"log_lines_dropped\":", run.Stdout, StringComparison.Ordinal);
        Assert.True(run.Stderr.Split('\n').Count(line => line.Contains("flood log line", StringComparison.Ordinal)) <= 2 * 120, "the driver's log is rate-limited");
    }

    [Fact]
    public async Task ABusyLoopIsStoppedPublishedBadAuditedAndStartedAgain()
    {
        Prepare();
        File.WriteAllText(Path.Combine(_dir.Path, "sensors", "attacks"), "spin\n");

        NetnsRun run = await RunAsync("data-diode");

        Assert.All(run.Readings, message => Assert.Equal("bad", message.GetProperty("quality").GetString()));
        Assert.Contains("OutOfFuel", run.Readings[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True(run.Readings.Count >= 2, "the driver was started again after its backoff");
        Assert.Contains(run.Audit, line => line.GetProperty("event").GetString() == "driver-stopped");
    }

    [Fact]
    public async Task SighupSwitchesTheModeWhileRunningAndTheWireFollows()
    {
        string secureChannel = _dir.File("secure-channel.toml", NetnsRun.Config(_dir.Path, "secure-channel", allowBreach: false));

        NetnsRun run = await RunAsync("data-diode", switchTo: secureChannel);

        JsonElement switched = Assert.Single(run.Audit, line => line.GetProperty("event").GetString() == "mode" && line.GetProperty("detail").GetString()!.Contains("SIGHUP", StringComparison.Ordinal));
        Assert.Equal("from data-diode, by SIGHUP (configuration reloaded)", switched.GetProperty("detail").GetString());
        Assert.Equal("secure-channel", switched.GetProperty("mode").GetString());
        Assert.Contains(Payload, Encoding.ASCII.GetString(run.Received[Allowed]), StringComparison.Ordinal); // after the switch
        Assert.All(run.Received.Where(pair => pair.Key != Allowed), pair => Assert.Empty(pair.Value));
        Assert.Equal(["data-diode", "secure-channel"], run.Readings.Select(message => message.GetProperty("mode").GetString()).Distinct());
        Assert.Contains("the drivers' policy mode is now secure-channel", run.Stderr, StringComparison.Ordinal);
    }

    private Task<NetnsRun> RunAsync(string mode, bool allowBreach = false, string? switchTo = null)
    {
        Prepare();
        return NetnsRun.RunAsync(_dir.Path, mode, allowBreach, switchTo);
    }

    private void Prepare()
    {
        if (!_prepared)
        {
            NetnsRun.PrepareRoot(_dir.Path);
            _prepared = true;
        }
    }
}
