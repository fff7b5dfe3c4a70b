using Microsoft.Extensions.Logging;

namespace Appliance.Modbus;

/// <summary>The transport's log messages, source-generated, with fixed event ids (1001–1099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "{Device}: connected to {Endpoint}")]
    public static partial void Connected(ILogger logger, string device, string endpoint);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "{Device}: cannot connect to {Endpoint} ({Reason}); next attempt in {Delay}")]
    public static partial void ConnectFailed(ILogger logger, string device, string endpoint, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "{Device}: no complete reply to transaction {TransactionId} within {Timeout}; reconnecting")]
    public static partial void Timeout(ILogger logger, string device, ushort transactionId, TimeSpan timeout);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "{Device}: framing lost in the reply to transaction {TransactionId}: {Reason}; reconnecting")]
    public static partial void FramingError(ILogger logger, string device, ushort transactionId, string reason);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Debug, Message = "{Device}: discarded a reply to transaction {StaleId} while waiting for {TransactionId}")]
    public static partial void StaleReply(ILogger logger, string device, ushort staleId, ushort transactionId);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "{Device}: the connection closed during transaction {TransactionId}; reconnecting")]
    public static partial void ConnectionClosed(ILogger logger, string device, ushort transactionId);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "{Device}: {Count} bytes arrived that no request asked for; reconnecting to resynchronize")]
    public static partial void UnsolicitedBytes(ILogger logger, string device, int count);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Warning, Message = "{Device}: more than {Limit} replies to other transactions while waiting for {TransactionId}; reconnecting")]
    public static partial void TooManyStaleReplies(ILogger logger, string device, int limit, ushort transactionId);
}
