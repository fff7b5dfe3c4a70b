namespace Appliance.Mqtt;

/// <summary>What the store-and-forward spool in front of the client reports in the health message.</summary>
/// <param name="Queued">Messages committed and not yet delivered.</param>
/// <param name="Dropped">Messages dropped because the spool was full (oldest first), since start.</param>
public readonly record struct MqttSpoolCounters(long Queued, long Dropped);
