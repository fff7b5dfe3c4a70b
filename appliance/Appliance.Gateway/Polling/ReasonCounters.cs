namespace Appliance.Gateway.Polling;

/// <summary>How often each failure reason occurred: every bad reply is counted with its reason.</summary>
public sealed class ReasonCounters
{
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public void Add(string reason)
    {
        lock (_gate)
        {
            _counts[reason] = _counts.GetValueOrDefault(reason) + 1;
        }
    }

    /// <summary>A sorted copy, for reports.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> Snapshot()
    {
        lock (_gate)
        {
            return [.. _counts.OrderBy(pair => pair.Key, StringComparer.Ordinal)];
        }
    }

    public long this[string reason]
    {
        get
        {
            lock (_gate)
            {
                return _counts.GetValueOrDefault(reason);
            }
        }
    }
}
