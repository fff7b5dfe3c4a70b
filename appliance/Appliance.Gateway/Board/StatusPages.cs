using System.Globalization;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Appliance.Board;
using Appliance.Board.Display;
using Appliance.Drivers.Policy;
using Appliance.Gateway.Polling;
using Appliance.Mqtt;
using Appliance.Sandbox.Voting;

namespace Appliance.Gateway.Board;

/// <summary>
/// What the display shows, read from the running gateway: the pages that rotate (policy mode, network addresses,
/// devices and their quality, the voter's lanes, the uplink, the board's sensors) and the alarm page that takes over
/// while an alarm is active or Breach mode is on. Every title bar carries the clock, so a display that froze says so.
/// A lane counts as faulty for a minute after it trapped, dissented or saw a malformed frame.
/// </summary>
public sealed class StatusPages(GatewayHost host, int columns)
{
    private static readonly TimeSpan LaneFaultHold = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, (long Faults, DateTimeOffset Since)> _lanes = [];

    /// <summary>The alarm page, or null when nothing is wrong.</summary>
    public DisplayPage? Alarm(DateTimeOffset now)
    {
        (DateTimeOffset At, string Text)? alarm = host.Alarms.Active();
        if (host.Drivers?.Policy.Mode == PolicyMode.Breach)
        {
            IEnumerable<string> breach = DisplayPage.Wrap("every driver may reach any file and address; switch back from the console", columns);
            return new DisplayPage("BREACH MODE", [.. breach, .. alarm is { } also ? DisplayPage.Wrap(also.Text, columns) : []], Alarm: true) { Corner = Clock(now) };
        }

        return alarm is { } active
            ? new DisplayPage("ALARM", [.. DisplayPage.Wrap(active.Text, columns), "at " + Clock(active.At)], Alarm: true) { Corner = Clock(now) }
            : null;
    }

    /// <summary>The pages that rotate, in order.</summary>
    public IReadOnlyList<DisplayPage> Rotation(DateTimeOffset now)
    {
        var pages = new List<DisplayPage> { Policy(now), Network(now), Devices(now), Voter(now), Uplink(now) };
        if (host.ConfigRefused.Count > 0)
        {
            pages.Insert(0, Refused(now, host.ConfigRefused));
        }

        if (host.Board is { LastReadings.Count: > 0 } board)
        {
            pages.Add(Sensors(now, board.LastReadings));
        }

        return pages;
    }

    /// <summary>The page shown after a clean stop, so that a dark gateway is not taken for a working one.</summary>
    public DisplayPage Stopped(DateTimeOffset now) => new("STOPPED", ["the appliance stopped", "at " + Clock(now), host.Config.Node.Id]) { Corner = Clock(now) };

    private DisplayPage Policy(DateTimeOffset now)
    {
        TimeSpan up = host.Uptime;
        string uptime = string.Create(CultureInfo.InvariantCulture, $"up {(int)up.TotalDays}d {up.Hours:00}:{up.Minutes:00}:{up.Seconds:00}");
        if (host.Drivers is not { } drivers)
        {
            return new DisplayPage("POLICY", ["no vendor drivers", host.Config.Node.Id, uptime]) { Corner = Clock(now) };
        }

        string mode = PolicyModes.Name(drivers.Policy.Mode).Replace('-', ' ').ToUpperInvariant();
        return new DisplayPage("POLICY", [$"drivers {drivers.Pollers.Count}", uptime]) { Large = DisplayPage.Wrap(mode, columns / 2), Corner = Clock(now) };
    }

    private DisplayPage Network(DateTimeOffset now)
    {
        var lines = new List<string> { host.Config.Node.Id };
        try
        {
            foreach (NetworkInterface nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                if (nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
                {
                    continue;
                }

                UnicastIPAddressInformation[] addresses = [.. nic.GetIPProperties().UnicastAddresses];
                UnicastIPAddressInformation? chosen = addresses.FirstOrDefault(a => a.Address.AddressFamily == AddressFamily.InterNetwork)
                    ?? addresses.FirstOrDefault(a => a.Address.AddressFamily == AddressFamily.InterNetworkV6 && !a.Address.IsIPv6LinkLocal);
                if (chosen is not null)
                {
                    lines.Add($"{nic.Name} {chosen.Address}"); // interfaces without an address are left out
                }
            }
        }
        catch (NetworkInformationException e)
        {
            lines.Add("addresses unknown: " + e.Message);
        }

        if (lines.Count == 1)
        {
            lines.Add("no address on any interface");
        }

        // Second, so that it shows however many interfaces follow: the clock (a Pi has no real-time clock).
        if (host.ClockSynchronized is bool synchronized)
        {
            lines.Insert(1, synchronized ? "clock set by NTP" : "clock NOT set by NTP");
        }

        return new DisplayPage("NETWORK", lines) { Corner = Clock(now) };
    }

    private DisplayPage Devices(DateTimeOffset now)
    {
        var lines = new List<string>();
        foreach (DevicePoller device in host.DataPath.Devices)
        {
            bool?[] last = [.. device.Groups.Select(group => group.LastGood)];
            string quality = last.Any(good => good == false) ? "BAD" : last.All(good => good == true) ? "good" : "--";
            DateTimeOffset stored = device.Groups.Max(group => group.LastStoredAt);
            string age = stored == DateTimeOffset.MinValue ? "--" : Age(now - stored);
            lines.Add(Columns(device.Config.Name, columns - 10) + " " + quality.PadRight(4) + " " + age.PadLeft(4));
        }

        return new DisplayPage("DEVICES", lines.Count > 0 ? lines : ["no devices"]) { Corner = Clock(now) };
    }

    private DisplayPage Voter(DateTimeOffset now)
    {
        var totals = new List<(string Lane, long Faults)>();
        long votes = 0, split = 0;
        foreach (GroupPoller group in host.DataPath.Groups)
        {
            TripletStatistics statistics = group.VoterStatistics;
            votes += statistics.Votes;
            split += statistics.Split;
            for (int i = 0; i < statistics.Instances.Count; i++)
            {
                InstanceStatistics lane = statistics.Instances[i];
                long faults = lane.Traps + lane.Dissents + lane.Malformed;
                if (totals.Count == i)
                {
                    totals.Add((lane.Lane, 0));
                }

                totals[i] = (totals[i].Lane, totals[i].Faults + faults);
            }
        }

        var lines = new List<string>();
        foreach ((string lane, long faults) in totals)
        {
            if (!_lanes.TryGetValue(lane, out (long Faults, DateTimeOffset Since) seen) || faults > seen.Faults)
            {
                _lanes[lane] = seen = (faults, faults > seen.Faults ? now : DateTimeOffset.MinValue);
            }

            bool faulty = seen.Since != DateTimeOffset.MinValue && now - seen.Since < LaneFaultHold;
            lines.Add(Columns(LaneLabel(lane), columns - 6) + (faulty ? " FAULT" : "    ok"));
        }

        lines.Add(string.Create(CultureInfo.InvariantCulture, $"votes {votes} split {split}"));
        return new DisplayPage("VOTER", lines) { Corner = Clock(now) };
    }

    private DisplayPage Uplink(DateTimeOffset now)
    {
        if (host.Mqtt is not { } mqtt || host.Spool is not { } spool)
        {
            return new DisplayPage("UPLINK", ["telemetry to stdout"]) { Corner = Clock(now) };
        }

        MqttClientStatus status = mqtt.Status;
        Appliance.Mqtt.Spool.SpoolCounters counters = spool.Counters;
        string broker = status.State switch
        {
            MqttConnectionState.Connected => "broker connected",
            MqttConnectionState.Connecting => "broker connecting",
            MqttConnectionState.WaitingToReconnect => "broker DOWN, retrying",
            _ => "broker " + status.State.ToString().ToLowerInvariant(),
        };
        return new DisplayPage("UPLINK", [broker, $"spool {counters.Queued} queued", $"sent {counters.Published}", $"dropped {counters.Dropped}"]) { Corner = Clock(now) };
    }

    private DisplayPage Sensors(DateTimeOffset now, IReadOnlyList<BoardReading> readings)
    {
        var lines = new List<string>();
        foreach (BoardReading reading in readings)
        {
            string value = reading.Value is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v:0.0} {reading.Unit}") : "BAD " + reading.Error;
            lines.Add(Columns(reading.Name, Math.Max(4, columns - value.Length - 1)) + " " + value);
        }

        return new DisplayPage("SENSORS", lines) { Corner = Clock(now) };
    }

    /// <summary>A refused configuration file: where its first mistake is and what it says, while the last good one runs.</summary>
    private DisplayPage Refused(DateTimeOffset now, IReadOnlyList<string> errors)
    {
        string first = errors[0];
        int message = first.IndexOf(": ", StringComparison.Ordinal);
        string place = message < 0 ? "" : first[..message];
        place = place[(place.LastIndexOf('/') + 1)..];
        var lines = new List<string> { "new file REFUSED", errors.Count == 1 ? "1 error; old one runs" : $"{errors.Count} errors; old one runs", place };
        lines.AddRange(DisplayPage.Wrap(message < 0 ? first : first[(message + 2)..], columns));
        return new DisplayPage("CONFIG", lines) { Corner = Clock(now) };
    }

    /// <summary>"wasmtime:modbus-parser-c" as "wasmtime/c", "interpreter:modbus-parser" as "interp/rust".</summary>
    private static string LaneLabel(string lane)
    {
        int colon = lane.IndexOf(':', StringComparison.Ordinal);
        string engine = colon < 0 ? lane : lane[..colon];
        string guest = colon < 0 ? "" : lane[(colon + 1)..];
        return (engine == "interpreter" ? "interp" : engine) + "/" + guest switch
        {
            "modbus-parser" => "rust",
            "modbus-parser-c" => "c",
            _ => guest,
        };
    }

    private static string Columns(string text, int width) => text.Length > width ? text[..width] : text.PadRight(width);

    private static string Age(TimeSpan age) => age.TotalSeconds < 100 ? $"{Math.Max(0, (int)age.TotalSeconds)}s"
        : age.TotalMinutes < 100 ? $"{(int)age.TotalMinutes}m"
        : age.TotalHours < 100 ? $"{(int)age.TotalHours}h"
        : $"{(int)age.TotalDays}d";

    private static string Clock(DateTimeOffset at) => at.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);
}
