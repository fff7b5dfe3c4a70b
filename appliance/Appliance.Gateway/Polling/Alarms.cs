namespace Appliance.Gateway.Polling;

/// <summary>Alarms raised by the data path and its supervisor (a split vote, a full spool, a task that failed): counted, the latest kept for the status message and the console.</summary>
public sealed class Alarms(TimeProvider time)
{
    private const int Kept = 16;
    private readonly Queue<(DateTimeOffset At, string Text)> _recent = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

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

    /// <summary>The latest alarm if it was raised less than <see cref="Hold"/> before <paramref name="now"/>.</summary>
    public (DateTimeOffset At, string Text)? Active(DateTimeOffset now)
    {
        lock (_gate)
        {
            return _recent.Count > 0 && now - _recent.Last().At < Hold ? _recent.Last() : null;
        }
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
