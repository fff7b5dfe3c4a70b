namespace Appliance.Drivers.Audit;

/// <summary>
/// One decision that matters: a denied call, a mode change, a driver stopped. Written as one JSON line of the audit
/// log (<see cref="AuditLog"/>), with the time, a sequence number and the hash of the line before.
/// </summary>
/// <param name="Event">"denied", "mode", "mode-refused", "driver-stopped", "suppressed", ...</param>
/// <param name="Driver">The driver concerned, if any.</param>
/// <param name="Call">The capability call ("read-file", "connect", ...), if any.</param>
/// <param name="Target">What the call named (a path, an endpoint), if any; cut to 200 characters.</param>
/// <param name="Mode">The policy mode in force (or chosen).</param>
/// <param name="Detail">Why, in words.</param>
public sealed record AuditEntry(string Event, string? Driver = null, string? Call = null, string? Target = null, string? Mode = null, string? Detail = null);
