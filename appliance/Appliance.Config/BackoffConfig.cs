namespace Appliance.Config;

/// <summary>Exponential backoff with jitter: Initial, doubled after each failure up to Max, each delay varied by ±Jitter.</summary>
public sealed record BackoffConfig(TimeSpan Initial, TimeSpan Max, double Jitter);
