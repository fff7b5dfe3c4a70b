namespace Appliance.Config;

/// <summary><c>[telemetry]</c>: what each poll group's message looks like and where it goes.</summary>
/// <param name="Topic">Topic template with the placeholders {node}, {device} and {group}.</param>
public sealed record TelemetryConfig(string Topic, TelemetryFormat Format)
{
    /// <summary>The topic of one group's messages.</summary>
    public string TopicFor(string node, string device, string group) =>
        Topic.Replace("{node}", node, StringComparison.Ordinal)
            .Replace("{device}", device, StringComparison.Ordinal)
            .Replace("{group}", group, StringComparison.Ordinal);
}
