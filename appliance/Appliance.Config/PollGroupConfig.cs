namespace Appliance.Config;

/// <summary><c>[[device.group]]</c>: tags read together at one interval and published as one message.</summary>
public sealed record PollGroupConfig(
    string Name,
    TimeSpan Interval,
    RegisterArea Area,
    IReadOnlyList<TagConfig> Tags);
