namespace Appliance.Mqtt.Spool;

/// <summary>The sequence number a message carries in its stream, committed with the message (see <see cref="Spool.NextSequence"/>).</summary>
/// <param name="Stream">Names the numbered stream (the gateway uses <c>device/group</c>).</param>
/// <param name="Number">The message's number in it.</param>
public readonly record struct SequenceStamp(string Stream, long Number);
