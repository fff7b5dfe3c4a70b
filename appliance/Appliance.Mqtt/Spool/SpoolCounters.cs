namespace Appliance.Mqtt.Spool;

/// <summary>A snapshot of the spool's counters.</summary>
/// <param name="Queued">Messages committed and not yet delivered (rows in the spool).</param>
/// <param name="QueuedBytes">Their accounted size, bounded by <see cref="SpoolOptions.MaxBytes"/>.</param>
/// <param name="Published">Messages deleted after delivery (PUBACK for QoS 1, written for QoS 0) since open.</param>
/// <param name="Dropped">Messages dropped because the spool was full (oldest first) since open.</param>
public readonly record struct SpoolCounters(long Queued, long QueuedBytes, long Published, long Dropped)
{
    /// <summary>The part the MQTT client's health message carries.</summary>
    public MqttSpoolCounters ForHealth() => new(Queued, Dropped);
}
