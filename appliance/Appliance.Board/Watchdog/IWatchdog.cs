namespace Appliance.Board.Watchdog;

/// <summary>Something that resets the machine unless it is kicked in time.</summary>
public interface IWatchdog : IDisposable
{
    /// <summary>What it is, for the log: "/dev/watchdog, 15 s", "systemd (WatchdogSec 30 s)".</summary>
    string Description { get; }

    /// <summary>How often it must be kicked at least.</summary>
    TimeSpan KickInterval { get; }

    void Kick();

    /// <summary>A clean stop: disarms it where the driver allows (the magic close character).</summary>
    void Close();
}
