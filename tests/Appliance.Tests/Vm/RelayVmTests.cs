using System.Globalization;
using System.Text;
using Appliance.Testing;
using Xunit.Abstractions;

namespace Appliance.Tests.Vm;

/// <summary>
/// The relays on a real Linux kernel (tests/vm): the published appliance in a Debian VM drives the lines of a gpio-sim
/// chip through System.Device.Gpio's libgpiod driver and the GPIO character device, exactly as on the Pi, and the
/// simulator's sysfs says what each line reads (<c>relays.sh</c> observes; this decides). Every relay line is pulled to
/// the level its relay must not have at rest, so a line the appliance does not drive reads wrong.
/// </summary>
[Collection(OneVmAtATime.Name)]
public sealed class RelayVmTests(VmSystem system, ITestOutputHelper output)
{
    private const int Lines = 8; // the simulated chip's; lines 4 to 7 are no relay's and keep their pull-down

    private static readonly Relay[] Relays =
    [
        new("beacon", Line: 0, ActiveLow: false, Role: "alarm", SafeOn: false),
        new("horn", Line: 1, ActiveLow: true, Role: "alarm", SafeOn: false),
        new("spare", Line: 2, ActiveLow: true, Role: "manual", SafeOn: false),
        new("fan", Line: 3, ActiveLow: false, Role: "manual", SafeOn: true),
    ];

    [Fact]
    public async Task RelaysAreSafeAtStartFollowTheConsoleAndTheAlarmAndAreSafeAgainAtStopAndAfterAKill()
    {
        VmBoot vm = await RunAsync();

        Assert.True(vm.ScenarioExit == 0, $"relays.sh failed ({vm.ScenarioExit}); the console:\n{vm.Console}");
        string pulls = Levels(_ => null);
        string relayLines = Held(Relays.Select(relay => relay.Line));
        string noLine = Held([]);
        Assert.Equal((pulls, noLine), (vm["levels-idle"], vm["held-idle"]));

        // Started: every relay at its safe state, its line held as an output.
        Assert.Equal((Levels(relay => relay.SafeOn), relayLines), (vm["levels-start"], vm["held-start"]));

        // The manual relays follow the control channel (the level inverted for the active-low one); an alarm relay
        // cannot be switched from there.
        Assert.Contains("\"ok\":true", vm["answer-spare-on"], StringComparison.Ordinal);
        Assert.Equal(Levels(relay => relay.Name == "spare" || relay.SafeOn), vm["levels-spare-on"]);
        Assert.Contains("\"ok\":true", vm["answer-fan-off"], StringComparison.Ordinal);
        Dictionary<string, bool> switched = new() { ["spare"] = true, ["fan"] = false };
        Assert.Equal(Levels(relay => switched.GetValueOrDefault(relay.Name, relay.SafeOn)), vm["levels-fan-off"]);
        Assert.Contains("only manual relays are switched from the console", vm["answer-beacon-on"], StringComparison.Ordinal);

        // A wrong PIN raises an alarm: both alarm relays energize, the manual ones stay as switched.
        Assert.Contains("wrong PIN", vm["answer-wrong-pin"], StringComparison.Ordinal);
        string allAwayFromSafe = Levels(relay => !relay.SafeOn);
        Assert.Equal((allAwayFromSafe, relayLines), (vm["levels-alarm"], vm["held-alarm"]));

        // SIGTERM: a clean exit that writes every relay's safe level before it lets the lines go (the kernel's trace
        // of the writes while stopping); released, gpio-sim reads each line's pull again.
        Assert.Equal("0", vm["exit-term"]);
        Assert.Equal(Writes(Relays.ToDictionary(relay => relay.Line, relay => Level(relay, relay.SafeOn))), vm["writes-at-stop"]);
        Assert.Equal((pulls, noLine), (vm["levels-after-term"], vm["held-after-term"]));

        // kill -9 with the spare relay on: the lines are let go as they were (nothing ran to make them safe; released,
        // they read their pulls, away from safe), and the restarted appliance drives each to its safe state again.
        Assert.Equal((Levels(relay => relay.Name == "spare" || relay.SafeOn), relayLines), (vm["levels-before-kill"], vm["held-before-kill"]));
        Assert.Equal((pulls, noLine), (vm["levels-after-kill"], vm["held-after-kill"]));
        Assert.Equal((Levels(relay => relay.SafeOn), relayLines), (vm["levels-restart"], vm["held-restart"]));
        Assert.Equal("0", vm["exit-restart"]);
    }

    /// <summary>The level of each line, line 0 first: a relay's for its state (null: not driven, its pull), else the pull-down.</summary>
    private static string Levels(Func<Relay, bool?> energized)
    {
        var levels = new StringBuilder();
        for (int line = 0; line < Lines; line++)
        {
            Relay? relay = Relays.SingleOrDefault(r => r.Line == line);
            bool? on = relay is null ? null : energized(relay);
            levels.Append(relay is null ? '0' : on is bool state ? Level(relay, state) : Level(relay, !relay.SafeOn));
        }

        return levels.ToString();
    }

    private static string Held(IEnumerable<int> lines)
    {
        var held = new StringBuilder(new string('0', Lines));
        foreach (int line in lines)
        {
            held[line] = '1';
        }

        return held.ToString();
    }

    /// <summary>The last value written to each line, "-" for none.</summary>
    private static string Writes(Dictionary<int, char> written) =>
        string.Concat(Enumerable.Range(0, Lines).Select(line => written.TryGetValue(line, out char level) ? level : '-'));

    private static char Level(Relay relay, bool energized) => energized != relay.ActiveLow ? '1' : '0';

    private async Task<VmBoot> RunAsync()
    {
        output.WriteLine($"VM system {system.Path}, ready in {system.ReadyIn.TotalSeconds:F1} s");
        var config = new StringBuilder("""
            [node]
            id = "vm-relays"
            [control]
            socket = "/run/appliance/control.sock"
            pin_file = "/tmp/console.pin"
            pin_state = "/tmp/pin-lockout.json"
            [board]
            interval = "1h"

            """);
        foreach (Relay relay in Relays)
        {
            config.Append(CultureInfo.InvariantCulture, $"""
                [[board.relay]]
                name = "{relay.Name}"
                chip = @chip@
                line = {relay.Line}
                active_low = {(relay.ActiveLow ? "true" : "false")}
                role = "{relay.Role}"
                safe = "{(relay.SafeOn ? "on" : "off")}"

                """);
        }

        Dictionary<string, string> files = new()
        {
            ["relays.toml"] = config.ToString(),
            // Each relay line pulled to the level it must not have at rest.
            ["pulls"] = string.Concat(Relays.Select(relay => $"{relay.Line} {(Level(relay, !relay.SafeOn) == '1' ? "pull-up" : "pull-down")}\n")),
            ["alarm-lines"] = string.Join(' ', Relays.Where(relay => relay.Role == "alarm").Select(relay => relay.Line)) + "\n",
        };
        VmBoot vm = await VmBoot.RunAsync(Path.Combine(Repository.Root, "tests", "Appliance.Tests", "Vm", "relays.sh"), files, TimeSpan.FromMinutes(3));
        output.WriteLine($"the relays scenario took {vm.Took.TotalSeconds:F1} s (boot included)");
        output.WriteLine(vm.Console);
        return vm;
    }

    private sealed record Relay(string Name, int Line, bool ActiveLow, string Role, bool SafeOn);
}
