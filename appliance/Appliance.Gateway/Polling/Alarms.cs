namespace Appliance.Gateway.Polling;

/// <summary>Alarms raised by the data path and its supervisor (a split vote, a full spool, a task that failed): counted, the latest kept for the status message and the console.</summary>
public sealed class Alarms(TimeProvider time)
{
    private const int Kept = 16;
    private readonly Queue<(DateTimeOffset At, string Text)> _recent = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTimeOffset _silenced = DateTimeOffset.MinValue; // alarms raised up to then are silenced

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
            _recent.Enqueue((time.GetUtcNow(), text));
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

    /// <summary>The latest alarm if it was raised less than <see cref="Hold"/> before <paramref name="now"/> and not silenced since.</summary>
    public (DateTimeOffset At, string Text)? Active(DateTimeOffset now)
    {
        lock (_gate)
        {
            return _recent.Count > 0 && now - _recent.Last().At < Hold && _recent.Last().At > _silenced ? _recent.Last() : null;
        }
    }

    /// <summary>
    /// Silences every alarm raised up to <paramref name="now"/> (an operator acknowledged them): the beacon goes off and
    /// the display's alarm page gives way until the next alarm. They stay counted and listed. Returns whether one was active.
    /// </summary>
    public bool Silence(DateTimeOffset now)
    {
        bool active = Active(now) is not null;
        lock (_gate)
        {
            _silenced = now;
        }

        return active;
    }

    /// <summary>The most recent alarms, oldest first.</summary>
    public IReadOnlyList<(DateTimeOffset At, string Text)> Recent()
    {
        lock (_gate)
        {
            return [.. _recent];
        }
    }
}
