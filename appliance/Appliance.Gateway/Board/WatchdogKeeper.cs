using Appliance.Board.Watchdog;
using Appliance.Gateway.Polling;
using Microsoft.Extensions.Logging;

namespace Appliance.Gateway.Board;

/// <summary>
/// Kicks the watchdog every third of its timeout, but only while the appliance is healthy: every poll group stored a
/// message within its deadline (its loop made progress, its triplet voted, the spool took the write). Unhealthy, the
/// kicks stop and the watchdog resets the machine (systemd restarts the service); a clean stop disarms it. Progress is
/// measured on the monotonic clock: a wall clock set forward (NTP's first sync on a Pi without a real-time clock) must
/// not look like a hang and reset the machine, nor one set back hide a real hang.
/// </summary>
public sealed class WatchdogKeeper(IWatchdog watchdog, IEnumerable<GroupPoller> groups, ILogger logger)
{
    private readonly GroupPoller[] _groups = [.. groups];
    private long _started;
    private string? _lastProblem; // the poll group that is late, logged once until it is healthy again

    public IWatchdog Watchdog => watchdog;

    public long Kicks { get; private set; }

    /// <summary>
    /// Whether the stop disarms the watchdog (the magic close). The gateway clears it when it stops on a fault a restart
    /// cannot fix: the watchdog is left armed and resets the machine, which starts the appliance afresh.
    /// </summary>
    public bool DisarmAtStop { get; set; } = true;

    public async Task RunAsync(TimeProvider time, CancellationToken stop)
    {
        _started = time.GetTimestamp();
        Log.WatchdogArmed(logger, watchdog.Description);
        try
        {
            while (true)
            {
                (string Group, string Text)? problem = Check(time);
                if (problem is null)
                {
                    watchdog.Kick();
                    Kicks++;
                }

                if (problem?.Group != _lastProblem)
                {
                    if (problem is not { } late)
                    {
                        Log.WatchdogHealthy(logger);
                    }
                    else
                    {
                        Log.WatchdogUnhealthy(logger, late.Text);
                    }

                    _lastProblem = problem?.Group;
                }

                await Task.Delay(watchdog.KickInterval, time, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            if (DisarmAtStop)
            {
                watchdog.Close(); // a clean stop: disarmed
            }
            else
            {
                Log.WatchdogLeftArmed(logger, watchdog.Description);
            }

            throw;
        }
    }

    /// <summary>Why the appliance is not healthy now, or null (<paramref name="time"/>: the clock the keeper runs on).</summary>
    public string? Problem(TimeProvider time) => Check(time)?.Text;

    private (string Group, string Text)? Check(TimeProvider time)
    {
        foreach (GroupPoller group in _groups)
        {
            TimeSpan quiet = time.GetElapsedTime(Math.Max(group.LastStoredTimestamp, _started));
            if (quiet > group.ProgressDeadline)
            {
                return (group.Stream, $"poll group {group.Stream} stored no message for {quiet.TotalSeconds:0} s (deadline {group.ProgressDeadline.TotalSeconds:0} s)");
            }
        }

        return null;
    }
}
