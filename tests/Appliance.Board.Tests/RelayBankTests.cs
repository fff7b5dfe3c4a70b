using System.Device.Gpio;
using Appliance.Board.Relays;
using Appliance.Testing;

namespace Appliance.Board.Tests;

/// <summary>The relays on an emulated GPIO chip: safe states at start and at shutdown, active-low boards, every change reported.</summary>
public sealed class RelayBankTests
{
    private static readonly RelaySpec[] Relays =
    [
        new("beacon", 0, 17, ActiveLow: true, RelayRole.Alarm, SafeEnergized: false),
        new("uplink", 0, 27, ActiveLow: false, RelayRole.UplinkIsolate, SafeEnergized: false),
        new("spare", 0, 22, ActiveLow: false, RelayRole.Manual, SafeEnergized: true),
    ];

    [Fact]
    public void AtStartEveryRelayIsInItsSafeStateAsAnOutput()
    {
        var chip = new GpioEmulator();
        using var bank = new RelayBank(Relays, _ => chip);

        Assert.Equal(PinValue.High, chip.Level(17)); // active-low, off: high
        Assert.Equal(PinValue.Low, chip.Level(27));
        Assert.Equal(PinValue.High, chip.Level(22)); // safe state on
        Assert.All(Relays, relay => Assert.True(chip.IsOpen(relay.Line)));
    }

    [Fact]
    public void ChangesAreWrittenInvertedForActiveLowAndReportedOnce()
    {
        var chip = new GpioEmulator();
        var changes = new List<string>();
        using var bank = new RelayBank(Relays, _ => chip);
        bank.Changed += (name, on, why) => changes.Add($"{name} {(on ? "on" : "off")}: {why}");

        Assert.True(bank.Set("beacon", true, "alarm"));
        Assert.False(bank.Set("beacon", true, "alarm again")); // no change, no write, no report
        Assert.True(bank.Set("uplink", true, "not in lockdown"));

        Assert.Equal((PinValue.Low, PinValue.High), (chip.Level(17), chip.Level(27)));
        Assert.Equal(["beacon on: alarm", "uplink on: not in lockdown"], changes);
        Assert.Throws<KeyNotFoundException>(() => bank.Set("nothing", true, "?"));
    }

    [Fact]
    public void AtShutdownEveryRelayGoesBackToItsSafeState()
    {
        var chip = new GpioEmulator();
        var bank = new RelayBank(Relays, _ => chip);
        bank.Set("beacon", true, "alarm");
        bank.Set("spare", false, "operator");

        bank.Dispose();

        Assert.Equal((PinValue.High, PinValue.High), (chip.Level(17), chip.Level(22)));
        Assert.All(Relays, relay => Assert.False(chip.IsOpen(relay.Line)));
    }
}
