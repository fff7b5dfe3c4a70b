using Microsoft.Extensions.Logging;

namespace Appliance.Modbus.Simulator;

/// <summary>The simulator's log messages, source-generated, with fixed event ids (1101–1199).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "plc-sim listening on {Endpoint}")]
    public static partial void Listening(ILogger logger, System.Net.IPEndPoint endpoint);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Debug, Message = "connection {Connection} from {Remote}")]
    public static partial void Accepted(ILogger logger, long connection, string remote);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Debug, Message = "connection {Connection} ended")]
    public static partial void Ended(ILogger logger, long connection);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "refused a connection from {Remote}: already {Limit} connections")]
    public static partial void TooManyConnections(ILogger logger, string remote, int limit);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Debug, Message = "connection {Connection}: transaction {TransactionId} answered with attack {Attack}")]
    public static partial void Attack(ILogger logger, long connection, ushort transactionId, AttackKind attack);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Information, Message = "connection {Connection}: closed after a request that cannot be framed: {Reason}")]
    public static partial void BadRequest(ILogger logger, long connection, string reason);

    [LoggerMessage(EventId = 1108, Level = LogLevel.Information, Message = "connection {Connection}: closed after a request with protocol id {ProtocolId}, which is not Modbus (0)")]
    public static partial void NotModbus(ILogger logger, long connection, ushort protocolId);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Information, Message = "plc-sim stopped")]
    public static partial void Stopped(ILogger logger);
}
