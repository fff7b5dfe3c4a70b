using Appliance.Board.Display;
using Appliance.Testing;

namespace Appliance.Board.Tests;

/// <summary>
/// The SSD1306 display: the built-in font against the classic 5x7 shapes, the command stream decoded by a panel
/// emulator built from the datasheet (set-up, windows, only changed pages sent, unplugged and plugged back), and pages
/// read back off the emulated glass as text.
/// </summary>
public sealed class DisplayTests
{
    [Fact]
    public void TheFontDrawsTheClassicFiveBySevenShapes()
    {
        var frame = new Framebuffer(128, 8);
        frame.DrawText(0, 0, "A1g");

        Assert.Equal(
            """
            .###..
            #...#.
            #...#.
            #...#.
            #####.
            #...#.
            #...#.
            ......

            """.ReplaceLineEndings("\n"),
            frame.ToArt(0, 0, 6, 8));
        Assert.Equal(
            """
            ..#...
            .##...
            ..#...
            ..#...
            ..#...
            ..#...
            .###..
            ......

            """.ReplaceLineEndings("\n"),
            frame.ToArt(6, 0, 6, 8));
        Assert.Equal(
            """
            ......
            .####.
            #...#.
            #...#.
            .####.
            ....#.
            .###..
            ......

            """.ReplaceLineEndings("\n"),
            frame.ToArt(12, 0, 6, 8));
    }

    [Fact]
    public void EveryGlyphIsDistinctSoTextReadsBackUnambiguously()
    {
        char[] characters = [.. Font.Characters()];
        var shapes = characters.Select(c => Convert.ToHexString(Font.Glyph(c))).ToList();

        Assert.Equal(96, characters.Length);
        Assert.Equal(shapes.Count, shapes.Distinct().Count());
        Assert.Equal(Convert.ToHexString(Font.Glyph('?')), Convert.ToHexString(Font.Glyph('€'))); // no glyph: '?'
    }

    [Theory]
    [InlineData(64)]
    [InlineData(32)]
    public void TheCommandStreamSetsThePanelUpAndTheGlassShowsTheFrame(int height)
    {
        var panel = new Ssd1306Emulator(height);
        using var display = new Ssd1306(() => panel, height);
        Framebuffer frame = display.NewFrame();
        new DisplayPage("NETWORK", ["eth0 192.0.2.10", "wlan0 none"]) { Corner = "12:03:04" }.Render(frame);

        display.Show(frame);

        Assert.Empty(panel.Errors);
        Assert.True(panel.DisplayOn && panel.ChargePump);
        Assert.Equal((height, (byte)(height == 64 ? 0x12 : 0x02), 0), (panel.Multiplex, panel.ComPins, panel.AddressingMode));
        Assert.Equal(frame.ToArt(), panel.Visible().ToArt());
        Assert.Equal(["NETWORK      12:03:04", "eth0 192.0.2.10", "wlan0 none"], DisplayText.Rows(panel.Visible()).Take(3).Select((row, i) => i == 0 ? DisplayText.Row(panel.Visible(), 0, inverted: true) : row));
    }

    [Fact]
    public void OnlyThePagesThatChangedAreSentAgain()
    {
        var panel = new Ssd1306Emulator();
        using var display = new Ssd1306(() => panel, 64);
        Framebuffer frame = display.NewFrame();
        new DisplayPage("VOTER", ["interp/rs  ok", "wasmtime/c ok"]).Render(frame);
        display.Show(frame);
        long first = panel.DataBytes;

        display.Show(frame);
        Assert.Equal(first, panel.DataBytes);

        frame[5, 3 * 8] = true; // one pixel on page 3
        display.Show(frame);

        Assert.Equal((1024, first + 128), (first, panel.DataBytes));
        Assert.Equal(frame.ToArt(), panel.Visible().ToArt());
    }

    [Fact]
    public void AnUnpluggedDisplayFailsAndIsSetUpAfreshWhenPluggedBack()
    {
        var panels = new List<Ssd1306Emulator>();
        bool unplugged = false;
        using var display = new Ssd1306(
            () =>
            {
                var panel = new Ssd1306Emulator { Unplugged = unplugged };
                panels.Add(panel);
                return panel;
            },
            64);
        Framebuffer frame = display.NewFrame();
        new DisplayPage("DEVICES", ["plc1 good"]).Render(frame);
        display.Show(frame);

        panels[0].Unplugged = unplugged = true;
        frame[0, 60] = true;
        Assert.Throws<IOException>(() => display.Show(frame));
        Assert.Throws<IOException>(() => display.Show(frame)); // still unplugged: opened again, fails again

        unplugged = false; // plugged back: a new panel with blank memory, off until set up
        display.Show(frame);

        Ssd1306Emulator replugged = panels[^1];
        Assert.Equal((3, 1), (panels.Count, replugged.Setups));
        Assert.Equal(frame.ToArt(), replugged.Visible().ToArt()); // every page sent, not only the changed one
    }

    [Fact]
    public void AnAlarmPageIsLitAndALargeLineReadsBackAtDoubleSize()
    {
        var panel = new Ssd1306Emulator();
        using var display = new Ssd1306(() => panel, 64);
        Framebuffer frame = display.NewFrame();

        new DisplayPage("ALARM", DisplayPage.Wrap("plc1/fast: split vote, no majority of the three lanes", 21), Alarm: true) { Corner = "08:15:00" }.Render(frame);
        display.Show(frame);
        Framebuffer glass = panel.Visible();

        Assert.Equal("ALARM        08:15:00", DisplayText.Row(glass, 0)); // the title bar dark on the lit page
        Assert.Equal(["plc1/fast: split", "vote, no majority of", "the three lanes"], Enumerable.Range(1, 3).Select(row => DisplayText.Row(glass, row * 8, inverted: true)));
        Assert.True(glass[127, 63]); // lit to the corner

        new DisplayPage("POLICY", ["drivers 2"]) { Large = ["LOCKDOWN"] }.Render(frame);
        display.Show(frame);
        glass = panel.Visible();

        Assert.Equal("LOCKDOWN", DisplayText.Row(glass, 10, scale: 2));
        Assert.Equal("drivers 2", DisplayText.Row(glass, 32));
    }

    [Theory]
    [InlineData("short", 21, new[] { "short" })]
    [InlineData("a split vote on plc1 fast", 10, new[] { "a split", "vote on", "plc1 fast" })]
    [InlineData("abcdefghijklmnopqrstuvwxyz", 10, new[] { "abcdefghij", "klmnopqrst", "uvwxyz" })]
    public void LongTextIsWrappedAtSpacesOrCut(string text, int columns, string[] expected) =>
        Assert.Equal(expected, DisplayPage.Wrap(text, columns));
}
