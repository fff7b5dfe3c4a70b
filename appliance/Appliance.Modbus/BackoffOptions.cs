namespace Appliance.Modbus;

/// <summary>Exponential backoff with jitter: Initial, doubled after each failure up to Max, each delay varied by ±Jitter (0 to 1) of itself.</summary>
public sealed record BackoffOptions(TimeSpan Initial, TimeSpan Max, double Jitter);
