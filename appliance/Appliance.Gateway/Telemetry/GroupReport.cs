namespace Appliance.Gateway.Telemetry;

/// <summary>The result of one poll of one group: every configured tag, in order, with a value or an error.</summary>
/// <param name="Timestamp">When the poll started (Unix time).</param>
/// <param name="Tags">Index i is the group's tag i.</param>
public sealed record GroupReport(DateTimeOffset Timestamp, TagValue[] Tags)
{
    /// <summary>Good when every tag has a value.</summary>
    public bool IsGood => Array.TrueForAll(Tags, t => !t.IsError);
}
