namespace Appliance.Gateway.Telemetry;

/// <summary>The result of one poll of one group: every configured tag, in order, with a value or an error.</summary>
/// <param name="Timestamp">When the poll started (Unix time).</param>
/// <param name="Tags">Index i is the group's tag i.</param>
/// <param name="GroupError">Why no tag has a value (set when the whole group failed), or null.</param>
public sealed record GroupReport(DateTimeOffset Timestamp, TagValue[] Tags, string? GroupError)
{
    /// <summary>Good when every tag has a value.</summary>
    public bool IsGood => GroupError is null && Array.TrueForAll(Tags, t => !t.IsError);
}
