using System.Globalization;
using Appliance.Board.Display;
using Appliance.Modbus.Simulator;
using Appliance.Testing;

namespace Appliance.Gateway.Tests;

/// <summary>
/// The OLED of a whole gateway, on an emulated SSD1306: the pages rotate through the gateway's real state (the
/// device's quality, the voter's lanes, the uplink with its broker down), an alarm page takes over while an alarm is
/// active, a display unplugged while running comes back, and a clean stop says so on the glass.
/// </summary>
public sealed class DisplayTests
{
    private const string Oled = "\n[board]\ninterval = \"1h\"\n[board.oled]\nrotate = \"1s\"\n";

    [Fact]
    public async Task ThePagesShowTheGatewayAndAnAlarmTakesOver()
    {
        await using var simulator = new PlcSimulator(new PlcSimulatorOptions { Seed = 11 });
        simulator.Start();
        var panel = new Ssd1306Emulator(64);
        await using var gateway = RunningGateway.Start(simulator.Port, Oled, i2c: settings => settings is { BusId: 1, DeviceAddress: 0x3C } ? panel : throw new IOException("no such device"));

        var seen = new Dictionary<string, IReadOnlyList<string>>();
        var titles = new Dictionary<string, string>();
        await gateway.UntilAsync(
            () =>
            {
                Framebuffer glass = panel.Visible();
                string title = DisplayText.Row(glass, 0, inverted: true);
                seen[title.Split(' ')[0]] = DisplayText.Rows(glass).Skip(1).ToList();
                titles[title.Split(' ')[0]] = title;
                return seen.TryGetValue("DEVICES", out var devices) && devices.Any(row => row.StartsWith("plc-1", StringComparison.Ordinal) && row.Contains(" good ", StringComparison.Ordinal))
                    && seen.ContainsKey("POLICY") && seen.ContainsKey("NETWORK") && seen.ContainsKey("VOTER") && seen.ContainsKey("UPLINK");
            },
            "every page was shown, the device good");

        Assert.Empty(panel.Errors);
        Assert.Equal(["wasmtime/rust      ok", "interp/rust        ok", "wasmtime/c         ok"], seen["VOTER"].Take(3));
        Assert.StartsWith("votes ", seen["VOTER"][3], StringComparison.Ordinal);
        Assert.Contains(seen["UPLINK"][0], new[] { "broker DOWN, retrying", "broker connecting" }); // its broker port is closed
        Assert.Equal("no vendor drivers", seen["POLICY"][0]);
        Assert.Equal("gateway-01", seen["NETWORK"][0]);
        WriteCapture(titles, seen);

        gateway.Host.Alarms.Raise("plc-1/process: split vote");
        await gateway.UntilAsync(() => DisplayText.Row(panel.Visible(), 0).StartsWith("ALARM", StringComparison.Ordinal), "the alarm page took over");
        Framebuffer lit = panel.Visible();
        Assert.Equal("plc-1/process: split", DisplayText.Row(lit, 8, inverted: true));
        Assert.Equal("vote", DisplayText.Row(lit, 16, inverted: true));
        Assert.True(lit[127, 63]);

        await gateway.StopAsync();
        Assert.Equal("STOPPED", DisplayText.Row(panel.Visible(), 0, inverted: true).Split(' ')[0]);
        Assert.Equal("the appliance stopped", DisplayText.Row(panel.Visible(), 8));
    }

    /// <summary>The pages as read back off the glass, for the README (<c>out/display/pages.txt</c>).</summary>
    private static void WriteCapture(Dictionary<string, string> titles, Dictionary<string, IReadOnlyList<string>> seen)
    {
        string folder = Path.Combine(Repository.Root, "out", "display");
        Directory.CreateDirectory(folder);
        var text = new System.Text.StringBuilder();
        foreach (string title in new[] { "POLICY", "NETWORK", "DEVICES", "VOTER", "UPLINK" })
        {
            text.Append("+---------------------+\n|").Append(titles[title].PadRight(21)).Append("|\n");
            foreach (string row in seen[title])
            {
                text.Append('|').Append(row.PadRight(21)).Append("|\n");
            }

            text.Append("+---------------------+\n");
        }

        File.WriteAllText(Path.Combine(folder, "pages.txt"), text.ToString());
    }

    /// <summary>
    /// A Pi has no real-time clock: its wall clock jumps when NTP first sets it (here by 400 days and 5 hours). The clock in the
    /// title bar follows it; the uptime on the POLICY page does not.
    /// </summary>
    [Fact]
    public async Task TheUptimeIsNotMovedWhenTheWallClockJumps()
    {
        await using var simulator = new PlcSimulator(new PlcSimulatorOptions { Seed = 14 });
        simulator.Start();
        var panel = new Ssd1306Emulator(64);
        var clock = new JumpingWallClock();
        await using var gateway = RunningGateway.Start(simulator.Port, Oled, i2c: _ => panel, time: clock);
        string Policy() => DisplayText.Row(panel.Visible(), 0, inverted: true).StartsWith("POLICY ", StringComparison.Ordinal) ? DisplayText.Row(panel.Visible(), 24) : "";

        await gateway.UntilAsync(() => Policy().StartsWith("up 0d 00:00:", StringComparison.Ordinal), "the POLICY page with its uptime");
        clock.Jump = TimeSpan.FromDays(400) + TimeSpan.FromMinutes(317);
        string title = "";
        await gateway.UntilAsync(
            () =>
            {
                title = DisplayText.Row(panel.Visible(), 0, inverted: true);
                return title.StartsWith("POLICY ", StringComparison.Ordinal) && title.Contains(clock.GetLocalNow().ToString("HH:mm", CultureInfo.InvariantCulture), StringComparison.Ordinal);
            },
            "the POLICY page again, after the jump");

        Assert.StartsWith("up 0d 00:0", DisplayText.Row(panel.Visible(), 24), StringComparison.Ordinal);
        Assert.InRange(gateway.Host.Uptime, TimeSpan.Zero, TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task ARefusedConfigurationHasAPageOfItsOwn()
    {
        await using var simulator = new PlcSimulator(new PlcSimulatorOptions { Seed = 13 });
        simulator.Start();
        var panel = new Ssd1306Emulator(64);
        await using var gateway = RunningGateway.Start(simulator.Port, Oled, i2c: _ => panel, configRefused: ["/boot/firmware/appliance.toml:4:7: mqtt.qos must be 0 or 1"]);

        await gateway.UntilAsync(() => DisplayText.Row(panel.Visible(), 0, inverted: true).StartsWith("CONFIG ", StringComparison.Ordinal), "the refusal page");

        Assert.Equal(["new file REFUSED", "1 error; old one runs", "appliance.toml:4:7", "mqtt.qos must be 0 or", "1"], DisplayText.Rows(panel.Visible()).Skip(1).Take(5));
        Assert.Empty(gateway.Host.Alarms.Recent()); // not an alarm: the plant is fine
    }

    [Fact]
    public async Task ADisplayUnpluggedWhileRunningIsRetriedAndComesBack()
    {
        await using var simulator = new PlcSimulator(new PlcSimulatorOptions { Seed = 12 });
        simulator.Start();
        var panels = new List<Ssd1306Emulator>();
        bool unplugged = false;
        await using var gateway = RunningGateway.Start(simulator.Port, Oled, i2c: _ =>
        {
            var panel = new Ssd1306Emulator(64) { Unplugged = unplugged };
            lock (panels)
            {
                panels.Add(panel);
            }

            return panel;
        });
        await gateway.UntilAsync(() => gateway.Host.Display!.Showing is not null, "a page was shown");

        lock (panels)
        {
            unplugged = true;
            panels[^1].Unplugged = true;
        }

        await gateway.UntilAsync(() => gateway.Log.ToString().Contains("the display does not answer", StringComparison.Ordinal), "the failure was logged");
        long polled = gateway.Group("process").GoodPolls;
        await gateway.UntilAsync(() => gateway.Group("process").GoodPolls > polled + 5, "the polls went on");

        unplugged = false;
        await gateway.UntilAsync(() => gateway.Log.ToString().Contains("the display answers again", StringComparison.Ordinal), "the display came back");
        Ssd1306Emulator back;
        lock (panels)
        {
            back = panels[^1];
        }

        await gateway.UntilAsync(() => DisplayText.Row(back.Visible(), 0, inverted: true).Length > 0, "the new panel shows a page");
        Assert.Equal(1, back.Setups);
        Assert.Empty(back.Errors);
        Assert.True(gateway.Log.ToString().Split("the display does not answer").Length - 1 <= 1, "logged once, not at every retry"); // (the recent log keeps 40 lines)
    }
}
