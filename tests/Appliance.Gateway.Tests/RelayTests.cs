using System.Device.Gpio;
using Appliance.Modbus.Simulator;
using Appliance.Testing;

namespace Appliance.Gateway.Tests;

/// <summary>
/// The relays of a whole gateway on an emulated GPIO chip: the alarm beacon energized while an alarm is active, the
/// uplink cut in Lockdown, every change audited, and every relay back in its safe state at the stop.
/// </summary>
public sealed class RelayTests
{
    private const string Relays = """

        [board]
        interval = "1h"
        [[board.relay]]
        name = "beacon"
        line = 23
        active_low = true
        role = "alarm"
        [[board.relay]]
        name = "uplink"
        line = 24
        role = "uplink-isolate"
        safe = "off"
        """;

    [Fact]
    public async Task TheBeaconFollowsTheAlarmsAndTheUplinkIsCutInLockdown()
    {
        await using var simulator = new PlcSimulator(new PlcSimulatorOptions { Seed = 7 });
        simulator.Start();
        var chip = new GpioEmulator();
        string directory = "";
        await using var gateway = RunningGateway.Start(
            simulator.Port,
            Relays + "\n[[driver]]\nname = \"rig\"\nmodule = \"sensor-driver-demo\"\nroot = \"sensors\"\n",
            prepare: dir => Directory.CreateDirectory(Path.Combine(directory = dir, "sensors")),
            edit: text => text
                .ReplaceExactly("/var/lib/appliance/audit.log", Path.Combine(directory, "audit.log"))
                .ReplaceExactly("/var/lib/appliance/policy-mode", Path.Combine(directory, "policy-mode")),
            gpio: _ => chip);
        Assert.NotNull(gateway.Host.Relays);

        // Data Diode, no alarm yet: the uplink is connected, the beacon off (high: the board is active-low).
        await gateway.UntilAsync(() => chip.IsOpen(24) && chip.Level(24) == PinValue.High, "the uplink connected");
        Assert.Equal(PinValue.High, chip.Level(23));

        gateway.Host.Alarms.Raise("test alarm");
        await gateway.UntilAsync(() => chip.Level(23) == PinValue.Low, "the beacon on");

        Assert.Null(gateway.Host.Drivers!.Policy.Switch(Appliance.Drivers.Policy.PolicyMode.Lockdown, "test"));
        await gateway.UntilAsync(() => chip.Level(24) == PinValue.Low, "the uplink cut in lockdown");

        await gateway.StopAsync();
        Assert.Equal((PinValue.High, PinValue.Low), (chip.Level(23), chip.Level(24))); // safe states: beacon off, uplink off
        string[] audit = File.ReadAllLines(Path.Combine(directory, "audit.log"));
        Assert.Contains(audit, line => line.Contains("\"event\":\"relay\",\"target\":\"beacon\"", StringComparison.Ordinal) && line.Contains("energized: alarm: test alarm", StringComparison.Ordinal));
        Assert.Contains(audit, line => line.Contains("\"target\":\"uplink\"", StringComparison.Ordinal) && line.Contains("released: lockdown: the uplink is cut", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AManualRelayIsSwitchedFromTheControlChannelWithThePinOnlyAndAnAlarmCanBeSilenced()
    {
        await using var simulator = new PlcSimulator(new PlcSimulatorOptions { Seed = 8 });
        simulator.Start();
        var chip = new GpioEmulator();
        string directory = "";
        await using var gateway = RunningGateway.Start(
            simulator.Port,
            "\n[board]\ninterval = \"1h\"\n[[board.relay]]\nname = \"spare\"\nline = 25\nrole = \"manual\"\n[[board.relay]]\nname = \"beacon\"\nline = 23\nrole = \"alarm\"\n",
            prepare: dir => File.WriteAllText(Path.Combine(directory = dir, "console.pin"), Appliance.Trust.PinGuard.Hash("2468") + "\n"),
            edit: text => text
                .ReplaceExactly("socket = \"\"", $"socket = \"{Path.Combine(directory, "control.sock")}\"")
                .ReplaceExactly("/etc/appliance/console.pin", Path.Combine(directory, "console.pin"))
                .ReplaceExactly("/var/lib/appliance/pin-lockout.json", Path.Combine(directory, "pin-lockout.json")),
            gpio: _ => chip);
        await gateway.UntilAsync(() => File.Exists(Path.Combine(directory, "control.sock")), "the control channel is up");

        string Ask(string request)
        {
            using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
            socket.Connect(new System.Net.Sockets.UnixDomainSocketEndPoint(Path.Combine(directory, "control.sock")));
            socket.Send(System.Text.Encoding.UTF8.GetBytes(request + "\n"));
            byte[] buffer = new byte[4096];
            int read = socket.Receive(buffer);
            return System.Text.Encoding.UTF8.GetString(buffer, 0, read).Trim();
        }

        Assert.Contains("wrong PIN", Ask("{\"op\":\"relay-set\",\"name\":\"spare\",\"on\":true,\"pin\":\"0000\"}"), StringComparison.Ordinal);
        Assert.Equal(PinValue.Low, chip.Level(25));
        Assert.Contains("only manual relays", Ask("{\"op\":\"relay-set\",\"name\":\"beacon\",\"on\":true,\"pin\":\"2468\"}"), StringComparison.Ordinal);
        Assert.Equal("{\"ok\":true,\"relay\":\"spare\",\"on\":true}", Ask("{\"op\":\"relay-set\",\"name\":\"spare\",\"on\":true,\"pin\":\"2468\"}"));
        Assert.Equal(PinValue.High, chip.Level(25));

        // The wrong PIN above raised an alarm: the beacon is on until the operator silences it, and on again at the next.
        await gateway.UntilAsync(() => chip.Level(23) == PinValue.High, "the beacon on for the wrong PIN");
        Assert.Equal("{\"ok\":true,\"was_active\":true}", Ask("{\"op\":\"alarm-silence\"}"));
        await gateway.UntilAsync(() => chip.Level(23) == PinValue.Low, "the beacon silenced");
        Assert.Equal("{\"ok\":true,\"was_active\":false}", Ask("{\"op\":\"alarm-silence\"}"));
        Assert.Equal(1, gateway.Host.Alarms.Raised); // still counted
        gateway.Host.Alarms.Raise("a later alarm");
        await gateway.UntilAsync(() => chip.Level(23) == PinValue.High, "the beacon on for the next alarm");

        await gateway.StopAsync();
        Assert.Equal(PinValue.Low, chip.Level(25)); // its safe state at the stop
    }
}
