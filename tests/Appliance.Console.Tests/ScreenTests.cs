using System.Text.Json;
using Appliance.Console.Rendering;
using Appliance.Console.Screens;

namespace Appliance.Console.Tests;

/// <summary>The screens painted from canned answers of the daemon, at 80x24, in ASCII and in the Linux VT's box drawing.</summary>
public sealed class ScreenTests
{
    private const string Status = """
        {"ok":true,"status":{"ts":1795334127865,"node":"gateway-01","state":"online","alarms":2,
        "recent_alarms":[{"ts":1795334120000,"text":"plc-1/process: lane 3 dissented"},{"ts":1795334125000,"text":"policy mode switched"}],
        "tasks":[{"name":"driver rig","state":"running","restarts":0,"last_failure":""}],
        "devices":{"plc-1":{"transport":{"transactions":10,"ok":9,"timeouts":1,"reconnects":0},"failures":{"timeout":1},
          "groups":{"process":{"good_polls":9,"bad_polls":1,"last_seq":10,"voter":{"votes":9,"unanimous":8,"majority":1,"split":0,
          "faults_injected":1,"last_reset_us":12.5,"worst_reset_us":30.1,"instances":[]}}}}},
        "policy":{"mode":"MODE","breach_allowed":true},
        "drivers":{"rig":{"polls":5,"good_polls":5,"faults":0,"denied":2,"denied_by_call":{"connect":2},"bytes_sent":0,"log_lines_dropped":0,"last_error":""}}},
        "lanes_total":{"lanes":[{"lane":"wasmtime:modbus-parser","frames":9,"agreements":9,"disagreements":0,"traps":0,"malformed":0,"resets":0},
          {"lane":"interpreter:modbus-parser","frames":9,"agreements":8,"disagreements":1,"traps":0,"malformed":0,"resets":1}]},
        "health":null,"fault_injection":true,"fault_injection_switchable":true,"fault_lane":2,"uptime_s":3725}
        """;

    private const string Values = """
        {"ok":true,"ts":1795334128265,"streams":[{"stream":"plc-1/process","topic":"t","message":{"ts":1795334127865,"seq":10,
        "device":"plc-1","unit":1,"group":"process","quality":"bad","values":{"temperature":18.5,"batch":"B\u00e9"},"errors":{"pressure":"timeout"}}}],
        "truncated":false,"relays":[{"name":"beacon","role":"Alarm","on":true}]}
        """;

    [Theory]
    [InlineData(ScreenId.Overview, "P O L I C Y :  D A T A - D I O D E", "last poll 0.4s ago")]
    [InlineData(ScreenId.Overview, "up 01:02:05", "relay beacon ON")]
    [InlineData(ScreenId.Values, "plc-1/process", "timeout")]
    [InlineData(ScreenId.Voter, "every fault on lane 2", "majority 1")]
    [InlineData(ScreenId.Policy, "< now", "Breach may be chosen")]
    [InlineData(ScreenId.Drivers, "Driver rig", "connect")]
    public void EachScreenShowsWhatTheDaemonSaid(ScreenId screen, string first, string second)
    {
        string text = Paint(screen, "data-diode", GlyphSet.Ascii);
        Assert.Contains(first, text, StringComparison.Ordinal);
        Assert.Contains(second, text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ScreenId.Overview)]
    [InlineData(ScreenId.Values)]
    [InlineData(ScreenId.Voter)]
    [InlineData(ScreenId.Policy)]
    [InlineData(ScreenId.Drivers)]
    [InlineData(ScreenId.Log)]
    public void AsciiScreensHoldOnlyPrintableAsciiEvenForTextThatIsNot(ScreenId screen)
    {
        string text = Paint(screen, "breach", GlyphSet.Ascii);
        Assert.All(text.Replace("\n", "", StringComparison.Ordinal), c => Assert.True(c is >= ' ' and <= '~', $"U+{(int)c:X4}"));
        Assert.Equal(24, text.TrimEnd('\n').Split('\n').Length);
    }

    [Fact]
    public void AClockNotSetByNtpIsSaidInTheHeader()
    {
        using ConsoleModel model = new();
        model.Accept("status", JsonDocument.Parse(Status.Replace("MODE", "lockdown", StringComparison.Ordinal).Replace("\"state\":\"online\",", "\"state\":\"online\",\"clock_synchronized\":false,", StringComparison.Ordinal)));
        var canvas = new Canvas(80, 24, GlyphSet.Ascii);
        ScreenPainter.Paint(canvas, model, new ConsoleController());
        string header = canvas.ToText().Split('\n')[0];

        Assert.EndsWith("UTC (no NTP)", header.TrimEnd(), StringComparison.Ordinal);
        Assert.Equal(Style.Warn, canvas.StyleAt(79 - 1, 0));
        Assert.DoesNotContain("no NTP", Paint(ScreenId.Overview, "lockdown", GlyphSet.Ascii), StringComparison.Ordinal); // synchronised or unknown: nothing said
    }

    [Fact]
    public void BreachIsSpelledOutInItsOwnStyleAcrossTheWholeWidth()
    {
        using ConsoleModel model = Model("breach");
        var canvas = new Canvas(80, 24, GlyphSet.LinuxVt);
        ScreenPainter.Paint(canvas, model, new ConsoleController());
        Assert.Contains("!!!  P O L I C Y :  B R E A C H  !!!", canvas.ToText(), StringComparison.Ordinal);
        for (int row = 1; row <= 3; row++)
        {
            Assert.All(Enumerable.Range(0, 80), x => Assert.Equal(Style.ModeBreach, canvas.StyleAt(x, row)));
        }
    }

    [Fact]
    public void TheLinuxVtGetsBoxDrawingAndASerialTerminalAscii()
    {
        Assert.Same(GlyphSet.LinuxVt, GlyphSet.For("linux"));
        Assert.Same(GlyphSet.Ascii, GlyphSet.For("vt220"));
        Assert.Same(GlyphSet.Ascii, GlyphSet.For("vt100"));
        Assert.Same(GlyphSet.Ascii, GlyphSet.For(null));
        Assert.Same(GlyphSet.Ascii, GlyphSet.For("linux", forceAscii: true));
        Assert.Contains('\u2500', Paint(ScreenId.Overview, "lockdown", GlyphSet.LinuxVt));
        Assert.DoesNotContain('\u2500', Paint(ScreenId.Overview, "lockdown", GlyphSet.Ascii));
    }

    [Fact]
    public void WithoutAnAnswerTheConsoleSaysWhichSocketItTries()
    {
        using var model = new ConsoleModel { SocketPath = "/run/appliance/control.sock" };
        model.Fail("Connection refused");
        var canvas = new Canvas(80, 24, GlyphSet.Ascii);
        ScreenPainter.Paint(canvas, model, new ConsoleController());
        string text = canvas.ToText();
        Assert.Contains("/run/appliance/control.sock", text, StringComparison.Ordinal);
        Assert.Contains("Connection refused", text, StringComparison.Ordinal);
        Assert.Contains("NOT CONNECTED", text, StringComparison.Ordinal);
    }

    [Fact]
    public void AnswersFromAnotherVersionWithMissingOrOddFieldsStillPaint()
    {
        using var model = new ConsoleModel();
        model.Accept("status", JsonDocument.Parse("""{"ok":true,"status":{"devices":{"x":{"transport":"?","groups":[1]}},"policy":7},"lanes_total":{"lanes":{}}}"""));
        model.Accept("values", JsonDocument.Parse("""{"ok":true,"streams":[{"stream":3,"message":"no"}]}"""));
        foreach (ScreenId screen in Enum.GetValues<ScreenId>())
        {
            var canvas = new Canvas(80, 24, GlyphSet.Ascii);
            var controller = new ConsoleController();
            controller.Key(new KeyPress(KeyName.F1 + (int)screen), model);
            ScreenPainter.Paint(canvas, model, controller);
            Assert.Contains(ScreenPainter.Titles[(int)screen], canvas.ToText(), StringComparison.Ordinal);
        }
    }

    private static string Paint(ScreenId screen, string mode, GlyphSet glyphs)
    {
        using ConsoleModel model = Model(mode);
        var controller = new ConsoleController();
        controller.Key(new KeyPress(KeyName.F1 + (int)screen), model);
        var canvas = new Canvas(80, 24, glyphs);
        ScreenPainter.Paint(canvas, model, controller);
        return canvas.ToText();
    }

    private static ConsoleModel Model(string mode)
    {
        var model = new ConsoleModel();
        model.Accept("status", JsonDocument.Parse(Status.Replace("MODE", mode, StringComparison.Ordinal)));
        model.Accept("values", JsonDocument.Parse(Values));
        model.Accept("log", JsonDocument.Parse("""{"ok":true,"log":[{"ts":1795334127000,"level":"warn","text":"a w\u00e4rning"}],"audit":[{"seq":1,"ts":"2026-12-06T04:00:56.877Z","event":"mode","mode":"breach"},"torn"]}"""));
        return model;
    }
}
