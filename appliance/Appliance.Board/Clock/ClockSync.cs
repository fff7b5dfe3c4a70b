namespace Appliance.Board.Clock;

/// <summary>
/// Whether the wall clock has been set by a time server. A Raspberry Pi has no real-time clock: until NTP answers, its
/// clock (and every message's <c>ts</c>) is a guess. systemd-timesyncd keeps a runtime folder while it runs and creates
/// <c>synchronized</c> in it once it has set the clock (the folder is made afresh when it restarts). Not the kernel's
/// own flag (adjtimex): the appliance's system-call filter rightly has no clock calls.
/// </summary>
public static class ClockSync
{
    /// <summary>systemd-timesyncd's runtime folder.</summary>
    public const string TimesyncdRuntime = "/run/systemd/timesync";

    /// <summary>True once synchronised, false while timesyncd runs and has not, null where it does not run (unknown).</summary>
    public static bool? IsSynchronized(string runtime = TimesyncdRuntime) =>
        Directory.Exists(runtime) ? File.Exists(Path.Combine(runtime, "synchronized")) : null;
}
