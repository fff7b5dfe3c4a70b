namespace Appliance.Config;

/// <summary>
/// <c>[watchdog]</c>: under systemd with <c>WatchdogSec=</c>, the service watchdog is used (systemd owns the hardware
/// one) whatever this says; standalone, the watchdog device named here is opened and kicked. Either way it is kicked
/// only while the appliance is healthy.
/// </summary>
/// <param name="Device">The watchdog device; empty: no standalone watchdog.</param>
/// <param name="Timeout">The timeout set on the device.</param>
public sealed record WatchdogConfig(string Device, TimeSpan Timeout)
{
    public static WatchdogConfig Default { get; } = new("", TimeSpan.FromSeconds(15));
}
