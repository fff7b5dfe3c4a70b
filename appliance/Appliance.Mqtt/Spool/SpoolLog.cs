using Microsoft.Extensions.Logging;

namespace Appliance.Mqtt.Spool;

/// <summary>The spool's log messages (event ids 160-179).</summary>
internal static partial class SpoolLog
{
    [LoggerMessage(EventId = 160, Level = LogLevel.Information, Message = "spool {Path} opened: {Queued} messages ({Bytes} bytes) queued of at most {MaxBytes} bytes, WAL, synchronous=FULL")]
    public static partial void Opened(ILogger logger, string path, long queued, long bytes, long maxBytes);

    [LoggerMessage(EventId = 161, Level = LogLevel.Warning, Message = "spool full ({MaxBytes} bytes): dropping the oldest messages to make room; {Dropped} dropped so far. Raise [spool] max_bytes or restore the broker connection")]
    public static partial void Full(ILogger logger, long maxBytes, long dropped);

    [LoggerMessage(EventId = 162, Level = LogLevel.Error, Message = "spool commit of {Count} operations failed; the enqueues are refused: {Error}")]
    public static partial void CommitFailed(ILogger logger, int count, string error);

    [LoggerMessage(EventId = 163, Level = LogLevel.Warning, Message = "spooled message {Id} to \"{Topic}\" was refused by the broker ({Status}); it is removed from the spool, since re-sending will not help")]
    public static partial void Refused(ILogger logger, long id, string topic, PublishStatus status);

    [LoggerMessage(EventId = 164, Level = LogLevel.Information, Message = "spool has room again: {Queued} messages queued; {Dropped} were dropped while it was full")]
    public static partial void RoomAgain(ILogger logger, long queued, long dropped);
}
