using System.Globalization;
using Appliance.Modbus;
using Appliance.Sandbox.Parsing;

namespace Appliance.Gateway.Polling;

/// <summary>
/// The reasons a tag has no value, as they appear in a message's "errors" and in the status counters. Stable,
/// lowercase, hyphenated: a dashboard may match on them (the README lists them).
/// </summary>
public static class FailureReasons
{
    public const string VoteSplit = "vote-split";
    public const string Missing = "missing";
    public const string NotFinite = "not-finite";
    public const string NotText = "not-text";

    public static string Of(TransactionStatus status) => status switch
    {
        TransactionStatus.Timeout => "timeout",
        TransactionStatus.ConnectFailed => "connect-failed",
        TransactionStatus.BackingOff => "backing-off",
        TransactionStatus.ConnectionClosed => "connection-closed",
        TransactionStatus.FramingError => "framing-error",
        TransactionStatus.TooManyStaleReplies => "too-many-stale-replies",
        _ => "transport-" + status.ToString().ToLowerInvariant(),
    };

    /// <summary>A decode error; an exception response becomes "exception-N" with its code.</summary>
    public static string Of(DecodeError error, uint detail) => error switch
    {
        DecodeError.NotConfigured => "not-configured",
        DecodeError.BadRequest => "bad-request",
        DecodeError.Truncated => "truncated",
        DecodeError.ProtocolId => "protocol-id",
        DecodeError.LengthOutOfRange => "length-out-of-range",
        DecodeError.LengthMismatch => "length-mismatch",
        DecodeError.TransactionMismatch => "transaction-mismatch",
        DecodeError.UnitMismatch => "unit-mismatch",
        DecodeError.FunctionMismatch => "function-mismatch",
        DecodeError.Exception => ExceptionReason(detail),
        DecodeError.BadException => "bad-exception",
        _ => "byte-count-mismatch",
    };

    public static string Of(Quality quality) => quality == Quality.NotFinite ? NotFinite : NotText;

    private static string ExceptionReason(uint code) => "exception-" + code.ToString(CultureInfo.InvariantCulture);
}
