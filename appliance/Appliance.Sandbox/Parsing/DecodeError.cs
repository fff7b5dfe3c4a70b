namespace Appliance.Sandbox.Parsing;

/// <summary>The cases of the <c>decode-error</c> variant of <c>wit/modbus-parser.wit</c>, in order: why a response was refused.</summary>
public enum DecodeError : byte
{
    NotConfigured,
    BadRequest,
    Truncated,
    ProtocolId,
    LengthOutOfRange,
    LengthMismatch,
    TransactionMismatch,
    UnitMismatch,
    FunctionMismatch,
    Exception,
    BadException,
    ByteCountMismatch,
}
