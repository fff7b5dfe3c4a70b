using System.Text.Json;
using Appliance.Console.Rendering;
using Appliance.Console.Screens;

namespace Appliance.Console.Tests;

/// <summary>The keyboard: screens by digit and function key, the policy switch's steps, the PIN never shown, faults by lane.</summary>
public sealed class ControllerTests
{
    [Theory]
    [InlineData('1', ScreenId.Overview)]
    [InlineData('2', ScreenId.Values)]
    [InlineData('3', ScreenId.Voter)]
    [InlineData('4', ScreenId.Policy)]
    [InlineData('5', ScreenId.Drivers)]
    [InlineData('6', ScreenId.Log)]
    public void DigitsAndFunctionKeysSwitchScreens(char digit, ScreenId screen)
    {
        using ConsoleModel model = Model();
        var byDigit = new ConsoleController();
        byDigit.Key(KeyPress.Of(digit), model);
        var byFunctionKey = new ConsoleController();
        byFunctionKey.Key(new KeyPress(KeyName.F1 + (digit - '1')), model);
        Assert.Equal(screen, byDigit.Screen);
        Assert.Equal(screen, byFunctionKey.Screen);
    }

    [Fact]
    public void APolicySwitchAsksThePinHidesItAsksToConfirmAndThenSendsIt()
    {
        using ConsoleModel model = Model();
        var controller = new ConsoleController();
        Assert.Null(controller.Key(KeyPress.Of('4'), model));
        Assert.Null(controller.Key(KeyPress.Of('s'), model));
        Assert.Equal(PolicyStep.Pin, controller.Step);
        foreach (char c in "47119")
        {
            Assert.Null(controller.Key(KeyPress.Of(c), model));
        }

        Assert.Null(controller.Key(new KeyPress(KeyName.Backspace), model));
        var canvas = new Canvas(80, 24, GlyphSet.Ascii);
        ScreenPainter.Paint(canvas, model, controller);
        Assert.Contains("Switch to secure-channel: PIN ****_", canvas.ToText(), StringComparison.Ordinal);
        Assert.DoesNotContain("4711", canvas.ToText(), StringComparison.Ordinal);

        Assert.Null(controller.Key(new KeyPress(KeyName.Enter), model));
        Assert.Equal(PolicyStep.Confirm, controller.Step);
        string? request = controller.Key(KeyPress.Of('y'), model);
        Assert.NotNull(request);
        using JsonDocument sent = JsonDocument.Parse(request);
        Assert.Equal("policy-set", sent.RootElement.GetProperty("op").GetString());
        Assert.Equal("secure-channel", sent.RootElement.GetProperty("mode").GetString());
        Assert.Equal("4711", sent.RootElement.GetProperty("pin").GetString());
        Assert.Equal(PolicyStep.Waiting, controller.Step);

        using JsonDocument refused = JsonDocument.Parse("""{"ok":false,"error":"wrong PIN (1 in a row; after 3 the channel locks out)"}""");
        controller.Answered(request, refused.RootElement);
        Assert.Equal(PolicyStep.None, controller.Step);
        Assert.Equal(("Refused: wrong PIN (1 in a row; after 3 the channel locks out)", Style.Bad), controller.Notice);
    }

    [Fact]
    public void EscapeOrNoCancelsASwitchWithoutSendingAnything()
    {
        using ConsoleModel model = Model();
        var controller = new ConsoleController();
        controller.Key(KeyPress.Of('4'), model);
        controller.Key(KeyPress.Of('l'), model);
        controller.Key(KeyPress.Of('1'), model); // a digit is part of the PIN here, not a screen
        Assert.Equal(ScreenId.Policy, controller.Screen);
        controller.Key(new KeyPress(KeyName.Enter), model);
        Assert.Null(controller.Key(KeyPress.Of('n'), model));
        Assert.Equal(PolicyStep.None, controller.Step);
        controller.Key(KeyPress.Of('b'), model);
        Assert.Null(controller.Key(new KeyPress(KeyName.Escape), model));
        Assert.Equal(PolicyStep.None, controller.Step);
        Assert.Equal(0, controller.PinLength);
    }

    [Fact]
    public void FaultsGoToTheLaneChosenWithN()
    {
        using ConsoleModel model = Model();
        var controller = new ConsoleController();
        controller.Key(KeyPress.Of('3'), model);
        controller.Key(KeyPress.Of('n'), model);
        controller.Key(KeyPress.Of('n'), model);
        Assert.Equal(2, controller.FaultLane);
        Assert.Equal("""{"op":"faults","on":true,"lane":2}""", controller.Key(KeyPress.Of('f'), model));
        controller.Key(KeyPress.Of('n'), model);
        Assert.Equal(0, controller.FaultLane); // two lanes: random, 1, 2, random again
    }

    [Fact]
    public void AOnTheOverviewSilencesTheAlarmsAndSaysWhetherOneWasActive()
    {
        using ConsoleModel model = Model();
        var controller = new ConsoleController();
        string? request = controller.Key(KeyPress.Of('a'), model);

        Assert.Equal("""{"op":"alarm-silence"}""", request);
        using JsonDocument answer = JsonDocument.Parse("""{"ok":true,"was_active":true}""");
        controller.Answered(request!, answer.RootElement);
        Assert.Equal(("Alarms silenced: the beacon is off until the next alarm.", Style.Good), controller.Notice);

        controller.Key(KeyPress.Of('2'), model);
        Assert.Null(controller.Key(KeyPress.Of('a'), model)); // only on the overview
    }

    [Fact]
    public void QuitIsQ()
    {
        using ConsoleModel model = Model();
        var controller = new ConsoleController();
        controller.Key(KeyPress.Of('q'), model);
        Assert.True(controller.QuitRequested);
    }

    private static ConsoleModel Model()
    {
        var model = new ConsoleModel();
        model.Accept("status", JsonDocument.Parse("""
            {"ok":true,"status":{"node":"n","policy":{"mode":"data-diode"}},"fault_injection":false,
             "lanes_total":{"lanes":[{"lane":"a"},{"lane":"b"}]}}
            """));
        return model;
    }
}
