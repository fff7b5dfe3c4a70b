namespace Appliance.Gateway.Polling;

/// <summary>
/// Alarms raised by the data path and its supervisor (a split vote, a full spool, a task that failed): counted, the
/// latest kept for the status message and the console. Each carries its wall-clock time (shown) and its moment on the
/// monotonic clock, which decides how long it stays active: a wall clock set back (a Pi has no real-time clock) must
/// not keep the beacon on for the length of the jump, nor one set forward end an alarm at once.
/// </summary>
public sealed class Alarms(TimeProvider time)
{
    private const int Kept = 16;
    private readonly Queue<(DateTimeOffset At, string Text, long Stamp)> _recent = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _silencedUpTo; // the alarms raised up to this count are silenced

    public long Raised { get; private set; }

    /// <summary>Completes when the next alarm is raised (the status publisher wakes on it).</summary>
    public Task NextAlarm
    {
        get
        {
            lock (_gate)
            {
                return _next.Task;
            }
        }
    }

    public void Raise(string text)
    {
        TaskCompletionSource raised;
        lock (_gate)
        {
            Raised++;
            _recent.Enqueue((time.GetUtcNow(), text, time.GetTimestamp()));
            while (_recent.Count > Kept)
            {
                _recent.Dequeue();
            }

            raised = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        raised.TrySetResult();
    }

    /// <summary>How long an alarm stays active after it was raised (the beacon relay, the display's alarm page).</summary>
    public static readonly TimeSpan Hold = TimeSpan.FromMinutes(1);

    /// <summary>The latest alarm if it was raised less than <see cref="Hold"/> ago and not silenced since.</summary>
    public (DateTimeOffset At, string Text)? Active()
    {
        lock (_gate)
        {
            return ActiveLocked();
        }
    }

    /// <summary>
    /// Silences every alarm raised so far (an operator acknowledged them): the beacon goes off and the display's alarm
    /// page gives way until the next alarm. They stay counted and listed. Returns whether one was active.
    /// </summary>
    public bool Silence()
    {
        lock (_gate)
        {
            bool active = ActiveLocked() is not null;
            _silencedUpTo = Raised;
            return active;
        }
    }

    private (DateTimeOffset At, string Text)? ActiveLocked()
    {
        if (_recent.Count == 0 || Raised <= _silencedUpTo)
        {
            return null;
        }

        (DateTimeOffset at, string text, long stamp) = _recent.Last();
        return time.GetElapsedTime(stamp) < Hold ? (at, text) : null;
    }

    /// <summary>The most recent alarms, oldest first.</summary>
    public IReadOnlyList<(DateTimeOffset At, string Text)> Recent()
    {
        lock (_gate)
        {
            return [.. _recent.Select(alarm => (alarm.At, alarm.Text))];
        }
    }
}
