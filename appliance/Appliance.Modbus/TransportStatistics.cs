namespace Appliance.Modbus;

/// <summary>Counters of one device's transport since it was created; a snapshot.</summary>
/// <param name="Transactions">Calls of <see cref="ModbusTransport.TransactAsync"/>, whatever their outcome.</param>
/// <param name="Ok">Transactions that returned a reply.</param>
/// <param name="Timeouts">Transactions whose reply did not complete in time.</param>
/// <param name="ConnectFailures">Connect attempts that failed.</param>
/// <param name="BackingOff">Transactions skipped because the device was in backoff.</param>
/// <param name="Connects">Connections opened.</param>
/// <param name="Reconnects">Connections opened after an earlier one was closed (resyncs and recoveries).</param>
/// <param name="StaleReplies">Replies discarded because their transaction id was not the current one.</param>
/// <param name="FramingErrors">Replies whose length field could not frame an ADU.</param>
/// <param name="ConnectionsClosed">Transactions that ended because the peer closed or reset the connection.</param>
/// <param name="UnsolicitedBytes">Times bytes were waiting before a request was sent (left over from a lying reply); each closed the connection.</param>
public readonly record struct TransportStatistics(
    long Transactions,
    long Ok,
    long Timeouts,
    long ConnectFailures,
    long BackingOff,
    long Connects,
    long Reconnects,
    long StaleReplies,
    long FramingErrors,
    long ConnectionsClosed,
    long UnsolicitedBytes);
