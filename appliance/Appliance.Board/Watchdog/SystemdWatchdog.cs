using System.Globalization;

namespace Appliance.Board.Watchdog;

/// <summary>
/// The service watchdog of systemd: with <c>WatchdogSec=</c> in the unit, systemd sets <c>WATCHDOG_USEC</c> and
/// <c>NOTIFY_SOCKET</c>, expects <c>WATCHDOG=1</c> on that socket in time, and owns the hardware watchdog itself.
/// </summary>
public sealed class SystemdWatchdog : IWatchdog
{
    private readonly SystemdNotify _notify;

    private SystemdWatchdog(SystemdNotify notify, TimeSpan timeout)
    {
        _notify = notify;
        Timeout = timeout;
    }

    public TimeSpan Timeout { get; }

    public string Description => $"systemd (WatchdogSec {Timeout.TotalSeconds:0} s)";

    public TimeSpan KickInterval => Timeout / 3;

    /// <summary>The service watchdog when systemd asked for one (for this process), else null.</summary>
    public static SystemdWatchdog? FromEnvironment()
    {
        string? usec = Environment.GetEnvironmentVariable("WATCHDOG_USEC");
        string? pid = Environment.GetEnvironmentVariable("WATCHDOG_PID");
        if (!long.TryParse(usec, NumberStyles.None, CultureInfo.InvariantCulture, out long microseconds) || microseconds <= 0
            || (pid is not null && pid != Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
            || SystemdNotify.FromEnvironment() is not { } notify)
        {
            return null;
        }

        return new SystemdWatchdog(notify, TimeSpan.FromMicroseconds(microseconds));
    }

    public void Kick() => _notify.Send("WATCHDOG=1");

    public void Close() => _notify.Send("STOPPING=1");

    public void Dispose() => _notify.Dispose();
}
