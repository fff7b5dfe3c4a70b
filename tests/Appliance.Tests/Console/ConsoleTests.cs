using System.Globalization;
using System.Text;
using System.Text.Json;
using Appliance.Testing;

namespace Appliance.Tests.Console;

/// <summary>
/// The published console (<c>appliance console</c>) in tmux at 80x24, with TERM=linux (the HDMI VT) and TERM=vt220 (a
/// serial terminal), attached to the published daemon polling the PLC simulator: every screen renders with nothing but
/// the glyphs the terminal has, the values change as polls arrive, the policy switch takes the right PIN and refuses a
/// wrong one, fault injection goes to the lane chosen, several consoles attach at once, a console without a daemon says
/// so and attaches when it comes, and killing a console leaves the daemon's <c>seq</c> without a gap. The screens are
/// written to <c>out/console/</c> (the README's captures come from there), with the bytes per second the overview
/// screen writes to its terminal.
/// </summary>
public sealed class ConsoleTests : IDisposable
{
    private const string Topic = "appliance/gateway-01/plc-1/process";

    /// <summary>The Linux console font's box drawing (CP437) the console may use on TERM=linux, besides printable ASCII.</summary>
    private const string LinuxVtGlyphs = "\u2500\u2502\u250C\u2510\u2514\u2518\u251C\u2524\u2588";

    private static readonly (string Key, string Title, string[] Shows)[] Screens =
    [
        ("1", "Overview", ["P O L I C Y :  D A T A - D I O D E", "plc-1", "process", "Voter lanes", "wasmtime:modbus-parser", "Alarms"]),
        ("2", "Values", ["plc-1/process", "temperature", "pump_running", "batch", "rig/driver"]),
        ("3", "Voter", ["Lanes, all groups", "interpreter:modbus-parser", "Fault injection", "votes"]),
        ("4", "Policy", ["secure-channel", "lockdown", "< now", "Breach is not allowed"]),
        ("5", "Drivers", ["Driver rig", "state running", "denied calls"]),
        ("6", "Log", ["control channel listening", "audit event=mode"]),
    ];

    private readonly TempDirectory _dir = new();
    private readonly int _plcPort = FreePort.Next();
    private readonly ChildProcess _plc;
    private readonly List<IDisposable> _owned = [];

    public ConsoleTests()
    {
        _plc = ChildProcess.Start(Product.Binary, ["plc-sim", "--listen", $"127.0.0.1:{_plcPort.ToString(CultureInfo.InvariantCulture)}"]);
        _plc.WaitForStderrLine("listening");
        Directory.CreateDirectory(Path.Combine(_dir.Path, "sensors"));
        File.WriteAllText(Path.Combine(_dir.Path, "sensors", "pressure"), "3.5\n");
    }

    private string Socket => Path.Combine(_dir.Path, "control.sock");

    private static string Captures => Path.Combine(Repository.Root, "out", "console");

    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }

        _plc.Dispose();
        _dir.Dispose();
    }

    [Theory]
    [InlineData("linux")]
    [InlineData("vt220")]
    public async Task EveryScreenRendersAtEightyByTwentyFourWithOnlyTheGlyphsTheTerminalHas(string term)
    {
        using ChildProcess daemon = await StartDaemonAsync();
        TmuxConsole console = Attach(term);
        console.WaitFor(s => Seq(s) >= 10, "the overview after ten polls");
        var captured = new StringBuilder();
        foreach ((string key, string title, string[] shows) in Screens)
        {
            console.Send(key);
            string screen = console.WaitFor(s => s.Split('\n')[0].Contains(title, StringComparison.Ordinal) && shows.All(text => s.Contains(text, StringComparison.Ordinal)), $"the {title} screen with {string.Join(", ", shows)}");
            AssertClean(screen, term);
            captured.Append(CultureInfo.InvariantCulture, $"--- {title} (TERM={term}, 80x24)\n").Append(screen);
        }

        Directory.CreateDirectory(Captures);
        await File.WriteAllTextAsync(Path.Combine(Captures, $"screens-{term}.txt"), captured.ToString());
        console.Send("q");
        console.WaitFor(_ => console.PaneDead, "the console ending on q");
        await StopDaemonAsync(daemon);
    }

    [Fact]
    public async Task TheValuesChangeAsThePollsArrive()
    {
        using ChildProcess daemon = await StartDaemonAsync();
        TmuxConsole console = Attach("vt220");
        console.Send("2");
        string first = console.WaitFor(s => Seq(s) > 0, "a seq on the Values screen");
        long seq = Seq(first);
        string temperature = Line(first, "temperature");
        string later = console.WaitFor(s => Seq(s) >= seq + 3 && Line(s, "temperature") != temperature, "a later poll with another temperature");
        Assert.True(Seq(later) >= seq + 3);
        Assert.NotEqual(temperature, Line(later, "temperature"));
        await StopDaemonAsync(daemon);
    }

    [Fact]
    public async Task APolicySwitchWithTheRightPinChangesTheModeAndAWrongPinIsRefused()
    {
        using ChildProcess daemon = await StartDaemonAsync();
        TmuxConsole console = Attach("linux");
        console.Send("4");
        console.WaitFor("< now");

        console.Send("l");
        console.WaitFor("Switch to lockdown: PIN _");
        console.Send("0000", literal: true);
        string prompt = console.WaitFor("PIN ****_");
        Assert.DoesNotContain("0000", prompt, StringComparison.Ordinal); // the PIN is never shown
        console.Send("Enter");
        console.WaitFor("Switch the policy from data-diode to lockdown? y: yes, n: no");
        console.Send("y");
        console.WaitFor("Refused: wrong PIN (1 in a row");
        Assert.Contains("policy data-diode", (await StatusAsync()).Output, StringComparison.Ordinal);

        console.Send("l");
        console.Send("4711", literal: true);
        console.WaitFor("PIN ****_");
        console.Send("Enter");
        console.WaitFor("? y: yes, n: no");
        console.Send("y");
        console.WaitFor("Policy switched to lockdown (was data-diode).");
        string screen = console.WaitFor("P O L I C Y :  L O C K D O W N");
        AssertClean(screen, "linux");

        Assert.Contains("policy lockdown", (await StatusAsync()).Output, StringComparison.Ordinal);
        string[] audit = await File.ReadAllLinesAsync(Path.Combine(_dir.Path, "audit.log"));
        Assert.Contains(audit, line => line.Contains("\"event\":\"mode\",\"mode\":\"lockdown\",\"detail\":\"from data-diode, by control client uid ", StringComparison.Ordinal));
        Assert.Contains(audit, line => line.Contains("\"event\":\"mode-refused\"", StringComparison.Ordinal) && line.Contains("wrong PIN (1 in a row", StringComparison.Ordinal));
        Assert.Equal(0, (await Product.RunAsync("audit", "verify", Path.Combine(_dir.Path, "audit.log"))).ExitCode);
        await StopDaemonAsync(daemon);
    }

    [Fact]
    public async Task FaultInjectionSwitchedOnOneLaneHitsThatLaneOnly()
    {
        using ChildProcess daemon = await StartDaemonAsync();
        TmuxConsole console = Attach("linux");
        console.Send("3");
        console.WaitFor("Now ON, a random lane per fault");
        console.Send("f");
        console.WaitFor("Fault injection off");
        console.Send("n");
        console.Send("n");
        console.WaitFor("lane for the next switch: 2");
        console.Send("f");
        console.WaitFor("Fault injection on, every fault on lane 2.");
        console.WaitFor("Now ON, every fault on lane 2");

        long[] before = Outvoted(await StatusJsonAsync());
        console.WaitFor(_ => Outvoted(StatusJsonAsync().GetAwaiter().GetResult())[1] >= before[1] + 3, "three more faults on lane 2");
        long[] after = Outvoted(await StatusJsonAsync());
        Assert.Equal(before[0], after[0]);
        Assert.Equal(before[2], after[2]);
        Assert.True(after[1] >= before[1] + 3);
        await StopDaemonAsync(daemon);
    }

    [Fact]
    public async Task WithoutADaemonTheConsoleSaysSoAndAttachesWhenItStarts()
    {
        TmuxConsole console = Attach("vt220");
        string waiting = console.WaitFor(s => s.Contains("does not answer", StringComparison.Ordinal) && s.Contains("NOT CONNECTED", StringComparison.Ordinal), "that the daemon does not answer");
        Assert.Contains(Socket, waiting.Replace("\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        AssertClean(waiting, "vt220");
        Directory.CreateDirectory(Captures);
        await File.WriteAllTextAsync(Path.Combine(Captures, "no-daemon-vt220.txt"), waiting);

        using ChildProcess daemon = await StartDaemonAsync();
        console.WaitFor("plc-1");
        await StopDaemonAsync(daemon);
        console.WaitFor("NOT CONNECTED");
    }

    [Fact]
    public async Task TwoConsolesAttachAtOnceAndKillingOneLeavesSeqWithoutAGap()
    {
        using ChildProcess daemon = await StartDaemonAsync();
        TmuxConsole hdmi = Attach("linux", "hdmi");
        TmuxConsole serial = Attach("vt220", "serial");
        hdmi.Send("2");
        serial.Send("2");
        hdmi.WaitFor(s => Seq(s) > 0, "values on the first console");
        long seen = Seq(serial.WaitFor(s => Seq(s) > 0, "values on the second console"));

        hdmi.Signal(9);
        hdmi.WaitFor(_ => hdmi.PaneDead, "the killed console's pane ending");
        serial.WaitFor(s => Seq(s) >= seen + 3, "the other console still updating");

        long last = LastSeq(daemon);
        daemon.WaitForStdoutLine($"\"seq\":{last + 3},");
        await StopDaemonAsync(daemon);
        List<long> seqs = [.. daemon.Stdout.Split('\n').Where(line => line.StartsWith(Topic + " ", StringComparison.Ordinal))
            .Select(line => JsonDocument.Parse(line[(Topic.Length + 1)..]).RootElement.GetProperty("seq").GetInt64())];
        Assert.True(seqs.Count > 5);
        Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
    }

    [Theory]
    [InlineData("linux")]
    [InlineData("vt220")]
    public async Task TheOverviewWritesLessThanOneFullScreenASecond(string term)
    {
        using ChildProcess daemon = await StartDaemonAsync();
        TmuxConsole console = Attach(term);
        string screen = console.WaitFor("plc-1");
        const int fullScreen = 80 * 24; // one redraw of every cell, without a single escape sequence
        string log = Path.Combine(_dir.Path, "bytes.log");
        long seq = Seq(screen, "seq ");
        console.StartCounting(log);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        console.WaitFor(s => Seq(s, "seq ") >= seq + 50, "50 polls on the overview", TimeSpan.FromSeconds(60)); // 10 s at 200 ms
        console.StopCounting();
        double seconds = clock.Elapsed.TotalSeconds;
        long bytes = new FileInfo(log).Length;
        double perSecond = bytes / seconds;
        Directory.CreateDirectory(Captures);
        await File.WriteAllTextAsync(Path.Combine(Captures, $"overview-bytes-{term}.txt"), string.Create(CultureInfo.InvariantCulture,
            $"overview, TERM={term}, 80x24, polls every 200 ms: {bytes} bytes in {seconds:0.0} s = {perSecond:0} bytes/s (a full screen is {fullScreen} cells; 115200 baud carries about 11520 bytes/s)\n"));
        Assert.True(bytes > 0, "the console wrote nothing while the figures changed");
        Assert.True(perSecond < fullScreen, $"{perSecond:0} bytes/s: the overview redraws more than a whole screen each second");

        // The 16 colours (SGR 30-37, 40-47, 90-97, 100-107) that a Linux VT shows exactly and a VT220 ignores: never the
        // 24-bit form (38;2;R;G;B), which a VT220, minicom and older serial terminals print as garbage or misread.
        string written = await File.ReadAllTextAsync(log);
        Assert.Contains("\e[", written, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\e\[[0-9;]*[34]8;[25];", written);
        await StopDaemonAsync(daemon);
    }

    /// <summary>Every line at most 80 columns, 24 of them, and nothing but printable ASCII (and on the VT its box drawing).</summary>
    private static void AssertClean(string screen, string term)
    {
        string[] lines = screen.TrimEnd('\n').Split('\n');
        Assert.Equal(24, lines.Length);
        foreach (string line in lines)
        {
            Assert.True(line.Length <= 80, $"a line of {line.Length} columns: {line}");
            foreach (char c in line)
            {
                bool allowed = c is >= ' ' and <= '~' || (term == "linux" && LinuxVtGlyphs.Contains(c, StringComparison.Ordinal));
                Assert.True(allowed, $"TERM={term}: character U+{(int)c:X4} in \"{line}\"");
            }
        }

        Assert.Contains(lines, line => line.Contains("1 Overview 2 Values 3 Voter 4 Policy 5 Drivers 6 Log q Quit", StringComparison.Ordinal));
    }

    /// <summary>The seq of plc-1/process on the Values screen (the number after "seq " on its line), or 0.</summary>
    private static long Seq(string screen, string after = "seq ")
    {
        string line = Line(screen, screen.Contains("plc-1/process", StringComparison.Ordinal) ? "plc-1/process" : "process ");
        int at = line.IndexOf(after, StringComparison.Ordinal);
        if (at < 0)
        {
            return 0;
        }

        string digits = new([.. line[(at + after.Length)..].TakeWhile(char.IsAsciiDigit)]);
        return digits.Length > 0 ? long.Parse(digits, CultureInfo.InvariantCulture) : 0;
    }

    private static string Line(string screen, string containing) =>
        screen.Split('\n').FirstOrDefault(line => line.Contains(containing, StringComparison.Ordinal)) ?? "";

    private static long[] Outvoted(JsonElement status) =>
        [.. status.GetProperty("lanes_total").GetProperty("lanes").EnumerateArray().Select(lane => lane.GetProperty("disagreements").GetInt64() + lane.GetProperty("traps").GetInt64())];

    private static long LastSeq(ChildProcess daemon) =>
        daemon.Stdout.Split('\n').Where(line => line.StartsWith(Topic + " ", StringComparison.Ordinal))
            .Select(line => JsonDocument.Parse(line[(Topic.Length + 1)..]).RootElement.GetProperty("seq").GetInt64()).Last();

    private TmuxConsole Attach(string term, string name = "console")
    {
        var console = new TmuxConsole(_dir.Path, term, Socket, name);
        _owned.Add(console);
        return console;
    }

    private async Task<(int Code, string Output)> StatusAsync()
    {
        (int code, string output, string error) = await Product.RunAsync("status", "--socket", Socket);
        Assert.True(code == 0, error);
        return (code, output);
    }

    private async Task<JsonElement> StatusJsonAsync()
    {
        (int code, string output, string error) = await Product.RunAsync("status", "--json", "--socket", Socket);
        Assert.True(code == 0, error);
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    private async Task<ChildProcess> StartDaemonAsync()
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
            .ReplaceExactly("corrupt_rate = 0.0", "corrupt_rate = 0.3")
            .ReplaceExactly("allow_fault_injection = false", "allow_fault_injection = true")
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

    private static async Task StopDaemonAsync(ChildProcess daemon)
    {
        daemon.Signal(15);
        Assert.True(await daemon.WaitForExitAsync() == 0, daemon.Stderr);
    }
}
