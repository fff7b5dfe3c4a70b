using Appliance.Board.Relays;
using Appliance.Drivers.Audit;
using Appliance.Drivers.Policy;
using Appliance.Gateway.Drivers;
using Appliance.Gateway.Polling;
using Microsoft.Extensions.Logging;

namespace Appliance.Gateway.Board;

/// <summary>
/// Drives the relays by their roles, twice a second: an <c>alarm</c> relay is energized while an alarm is active
/// (<see cref="Alarms.Active"/>: raised in the last minute) or Breach mode is on; an <c>uplink-isolate</c> relay is energized (the uplink connected) except in
/// Lockdown, when it opens and the plant side is physically cut from IT; a <c>manual</c> relay only changes from the
/// console. Every change is logged and audited.
/// </summary>
public sealed class RelayController
{
    private readonly RelayBank _bank;
    private readonly Alarms _alarms;
    private readonly DriverSet? _drivers;

    public RelayController(RelayBank bank, Alarms alarms, DriverSet? drivers, ILogger logger)
    {
        _bank = bank;
        _alarms = alarms;
        _drivers = drivers;
        AuditLog? audit = drivers?.Audit;
        bank.Changed += (name, on, why) =>
        {
            Log.RelayChanged(logger, name, on ? "energized" : "released", why);
            audit?.Write(new AuditEntry("relay", Target: name, Mode: drivers is null ? null : PolicyModes.Name(drivers.Policy.Mode), Detail: $"{(on ? "energized" : "released")}: {why}"));
        };
    }

    public RelayBank Bank => _bank;

    public async Task RunAsync(TimeProvider time, CancellationToken stop)
    {
        while (true)
        {
            Evaluate();
            await Task.Delay(TimeSpan.FromMilliseconds(500), time, stop).ConfigureAwait(false);
        }
    }

    /// <summary>Sets every relay that has a role from the state now.</summary>
    public void Evaluate()
    {
        PolicyMode? mode = _drivers?.Policy.Mode;
        (DateTimeOffset At, string Text)? lastAlarm = _alarms.Active();
        bool alarmActive = lastAlarm is not null;
        foreach (RelaySpec relay in _bank.Relays)
        {
            switch (relay.Role)
            {
                case RelayRole.Alarm:
                    bool on = alarmActive || mode == PolicyMode.Breach;
                    _bank.Set(relay.Name, on, on ? (mode == PolicyMode.Breach ? "breach mode is on" : "alarm: " + lastAlarm!.Value.Text) : "no alarm for a minute");
                    break;
                case RelayRole.UplinkIsolate:
                    bool connected = mode != PolicyMode.Lockdown;
                    _bank.Set(relay.Name, connected, connected ? "not in lockdown: the uplink is connected" : "lockdown: the uplink is cut");
                    break;
                default:
                    break;
            }
        }
    }
}
