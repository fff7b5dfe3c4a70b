namespace Appliance.Gateway.Polling;

/// <summary>Alarms raised by the data path (a split vote, a full spool): counted, the latest kept for the status message and the console.</summary>
public sealed class Alarms(TimeProvider time)
{
    private const int Kept = 16;
    private readonly Queue<(DateTimeOffset At, string Text)> _recent = new();
    private readonly Lock _gate = new();

    public long Raised { get; private set; }

    public void Raise(string text)
    {
        lock (_gate)
        {
            Raised++;
            _recent.Enqueue((time.GetUtcNow(), text));
            while (_recent.Count > Kept)
            {
                _recent.Dequeue();
            }
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
