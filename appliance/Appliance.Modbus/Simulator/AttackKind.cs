namespace Appliance.Modbus.Simulator;

/// <summary>
/// The hostile replies the simulator can send in place of a valid one, and what a correct gateway does
/// with each. "Transport" is what <see cref="ModbusTransport.TransactAsync"/> returns; "parser" is the
/// WebAssembly parser triplet that checks everything past the MBAP header. Every kind ends in one bad-
/// quality message for the poll, except <see cref="LateReply"/> and <see cref="SplitFrame"/>, whose
/// correct reply must be published. No kind may ever be published as a value.
/// </summary>
public enum AttackKind
{
    /// <summary>Length field larger than the bytes sent (still ≤ 254). Transport: Timeout, then reconnect. Publish bad quality "timeout".</summary>
    LengthTooLong = 1,

    /// <summary>Length field smaller than the bytes sent (≥ 2). Transport: Ok with a cut ADU; leftover bytes are found before the next request (UnsolicitedBytes, reconnect). Parser rejects (byte count ≠ length): bad "parser rejected".</summary>
    LengthTooShort,

    /// <summary>Length field 0, 1 or above 254; the connection is then closed. Transport: FramingError before reading past the header. Bad "framing".</summary>
    LengthOutOfRange,

    /// <summary>1–6 header bytes, then the connection is closed. Transport: ConnectionClosed. Bad "connection closed".</summary>
    TruncatedHeader,

    /// <summary>Protocol id other than 0. Transport: Ok (it does not read the field). Parser rejects: bad "parser rejected".</summary>
    WrongProtocolId,

    /// <summary>Unit id other than the request's. Transport: Ok. Parser rejects (unit mismatch): bad "parser rejected".</summary>
    WrongUnitId,

    /// <summary>Transaction id other than the request's, and nothing else. Transport: discards it (stale reply), then Timeout. Bad "timeout".</summary>
    WrongTransactionId,

    /// <summary>A reply carrying the previous request's transaction id, then the correct reply. Transport: discards the first (stale reply), returns Ok with the second. Publish the value.</summary>
    LateReply,

    /// <summary>Function code other than the request's (another read, a write, 0x00, 0x2B, ...). Transport: Ok. Parser rejects: bad "parser rejected".</summary>
    IllegalFunctionInReply,

    /// <summary>Exception response with a code Modbus Application Protocol v1.1b3 §7 defines (1–6, 8, 10, 11). Transport: Ok. Parser decodes the exception: bad "PLC exception N".</summary>
    ExceptionResponse,

    /// <summary>Exception response with an undefined code (0, 7, 9, 12, 0xFF, ...). Transport: Ok. Parser rejects: bad "parser rejected".</summary>
    ExceptionUndefinedCode,

    /// <summary>Byte count larger than the data sent (length field consistent). Transport: Ok. Parser rejects: bad "parser rejected".</summary>
    ByteCountTooLarge,

    /// <summary>Byte count smaller than the data sent. Transport: Ok. Parser rejects: bad "parser rejected".</summary>
    ByteCountTooSmall,

    /// <summary>Odd byte count with as many data bytes (a half register). Transport: Ok. Parser rejects: bad "parser rejected".</summary>
    ByteCountOdd,

    /// <summary>A frame of more than 260 bytes with a length field to match; the connection is then closed. Transport: FramingError. Bad "framing".</summary>
    OversizedFrame,

    /// <summary>1–64 random bytes (never starting with the request's transaction id), then the connection is closed. Transport: FramingError or ConnectionClosed, never Ok. Bad quality.</summary>
    Garbage,

    /// <summary>A valid reply one byte at a time, a delay after each, longer in total than the request timeout. Transport: Timeout. Bad "timeout".</summary>
    DripFeed,

    /// <summary>A valid reply in 2–4 TCP segments (the first cut inside the header), short pauses between. Transport: Ok. Publish the value.</summary>
    SplitFrame,
}
