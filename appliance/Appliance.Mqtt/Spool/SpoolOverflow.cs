namespace Appliance.Mqtt.Spool;

/// <summary>The alarm of a full spool: one commit dropped the oldest messages to make room.</summary>
/// <param name="Dropped">Messages this commit dropped.</param>
/// <param name="DroppedTotal">Messages dropped since the spool was opened.</param>
public readonly record struct SpoolOverflow(long Dropped, long DroppedTotal);
