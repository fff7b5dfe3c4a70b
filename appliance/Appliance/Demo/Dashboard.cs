using System.Globalization;
using System.Text;
using Appliance.Drivers.Policy;
using Appliance.Gateway;
using Appliance.Gateway.Drivers;
using Appliance.Gateway.Polling;
using Appliance.Modbus.Simulator;
using Appliance.Sandbox.Voting;

namespace Appliance.Demo;

/// <summary>
/// The demo's live view: the simulated PLC and its attacks, the voter, the hostile driver under the current policy mode
/// (what it read, what it tried, what was blocked), and the telemetry arriving back from the broker.
/// </summary>
internal sealed class Dashboard(PlcSimulator simulator, DataPath dataPath, DriverSet? drivers, string broker)
{
    private readonly Lock _gate = new();
    private string _lastReceived = "(nothing yet)";
    private long _received;

    private readonly Dictionary<string, string> _driverReadings = new(StringComparer.Ordinal);

    public void Received(string topic, ReadOnlySpan<byte> payload)
    {
        lock (_gate)
        {
            _received++;
            _lastReceived = topic + " " + Encoding.UTF8.GetString(payload);
            foreach (DriverPoller driver in drivers?.Pollers ?? [])
            {
                if (topic == driver.Topic)
                {
                    _driverReadings[driver.Config.Name] = Encoding.UTF8.GetString(payload);
                }
            }
        }
    }

    public string Render(TimeSpan elapsed)
    {
        var text = new StringBuilder();
        DevicePoller device = dataPath.Devices[0];
        GroupPoller group = device.Groups[0];
        TripletStatistics voter = group.VoterStatistics;
        text.AppendLine(CultureInfo.InvariantCulture, $"── appliance demo, {elapsed.TotalSeconds:F0} s ── PLC simulator {simulator.EndPoint}, attack rate {simulator.AttackRate:P0} ── broker {broker}");
        text.AppendLine(CultureInfo.InvariantCulture, $"polls       {group.GoodPolls + group.BadPolls} ({group.GoodPolls} good, {group.BadPolls} bad)   transport: {device.Transport.Reconnects} reconnects, {device.Transport.StaleReplies} stale replies discarded, {device.Transport.Timeouts} timeouts");
        text.AppendLine("attacks     " + Join(AttackCatalogue.All.Select(kind => (AttackCatalogue.Name(kind), simulator.AttacksSent(kind)))));
        text.AppendLine("counted     " + Join(device.Reasons.Snapshot().Select(pair => (pair.Key, pair.Value))));
        text.AppendLine(CultureInfo.InvariantCulture, $"voter       {voter.Votes} votes: {voter.Unanimous} unanimous, {voter.Majority} majority, {voter.Split} split; {voter.FaultsInjected} faults injected; reset last {voter.LastReset.TotalMicroseconds:F1} µs, worst {voter.WorstReset.TotalMicroseconds:F1} µs");
        for (int i = 0; i < voter.Instances.Count; i++)
        {
            InstanceStatistics instance = voter.Instances[i];
            text.AppendLine(CultureInfo.InvariantCulture, $"  lane {i} {instance.Lane,-26} agreed {instance.Agreements}/{instance.Frames}, traps {instance.Traps}, dissents {instance.Dissents}, latent faults {instance.StateDivergences}, resets {instance.Resets}{(instance.LastFault.Length > 0 ? "; last: " + instance.LastFault : string.Empty)}");
        }

        if (drivers is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"policy      {PolicyModes.Name(drivers.Policy.Mode)}{(drivers.Policy.Mode == PolicyMode.Breach ? "  !! BREACH MODE !!" : string.Empty)}");
            foreach (DriverPoller driver in drivers.Pollers)
            {
                (IReadOnlyDictionary<string, long> denied, long deniedTotal, long bytesSent, _) = driver.Counters;
                lock (_gate)
                {
                    string readings = _driverReadings.TryGetValue(driver.Config.Name, out string? last) ? last
                        : driver.LastMessage.Length > 0 ? driver.LastMessage + " (published; not back from the broker yet)" : "(nothing yet)";
                    text.AppendLine(CultureInfo.InvariantCulture, $"  driver {driver.Config.Name}: {driver.Polls} polls, {driver.Faults} stopped; blocked {deniedTotal} calls ({Join(denied.Select(pair => (pair.Key, pair.Value)))}); bytes out {bytesSent}; last: {readings}");
                }
            }
        }

        lock (_gate)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"telemetry   {_received} messages back from the broker; last: {_lastReceived}");
        }

        return text.ToString();
    }

    private static string Join(IEnumerable<(string Name, long Count)> counts)
    {
        string joined = string.Join(", ", counts.Where(c => c.Count > 0).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Name} {c.Count}")));
        return joined.Length == 0 ? "none yet" : joined;
    }
}
