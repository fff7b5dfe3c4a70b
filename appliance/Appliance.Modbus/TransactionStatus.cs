namespace Appliance.Modbus;

/// <summary>How one transaction ended. Only <see cref="Ok"/> carries a reply; every other status means bad quality.</summary>
public enum TransactionStatus
{
    /// <summary>A complete ADU whose transaction id is the request's; its PDU is unchecked (the parser checks it).</summary>
    Ok,

    /// <summary>The reply did not complete within the request timeout (silent, dripped, or only stale replies). The connection was closed.</summary>
    Timeout,

    /// <summary>The TCP connection could not be opened (refused, unreachable, or connect timeout). Backoff has started.</summary>
    ConnectFailed,

    /// <summary>No attempt: the device is in its reconnect backoff. Returned at once, so a dead device stalls nothing.</summary>
    BackingOff,

    /// <summary>The peer closed or reset the connection before the reply was complete.</summary>
    ConnectionClosed,

    /// <summary>A reply's MBAP length field was outside 2..254 (the ADU would not fit 260 bytes). The connection was closed.</summary>
    FramingError,

    /// <summary>More replies with other transaction ids than a reply may be preceded by; the connection was closed.</summary>
    TooManyStaleReplies,
}
