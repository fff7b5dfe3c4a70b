using System.Collections.Immutable;

namespace Appliance.Modbus.Simulator;

/// <summary>The attack kinds by name (as the command line writes them), and the transport outcome each one allows.</summary>
public static class AttackCatalogue
{
    /// <summary>Every kind, in declaration order.</summary>
    public static ImmutableArray<AttackKind> All { get; } =
    [
        AttackKind.LengthTooLong,
        AttackKind.LengthTooShort,
        AttackKind.LengthOutOfRange,
        AttackKind.TruncatedHeader,
        AttackKind.WrongProtocolId,
        AttackKind.WrongUnitId,
        AttackKind.WrongTransactionId,
        AttackKind.LateReply,
        AttackKind.IllegalFunctionInReply,
        AttackKind.ExceptionResponse,
        AttackKind.ExceptionUndefinedCode,
        AttackKind.ByteCountTooLarge,
        AttackKind.ByteCountTooSmall,
        AttackKind.ByteCountOdd,
        AttackKind.OversizedFrame,
        AttackKind.Garbage,
        AttackKind.DripFeed,
        AttackKind.SplitFrame,
    ];

    /// <summary>The kind's name in kebab case, e.g. <c>late-reply</c>.</summary>
    public static string Name(AttackKind kind) => kind switch
    {
        AttackKind.LengthTooLong => "length-too-long",
        AttackKind.LengthTooShort => "length-too-short",
        AttackKind.LengthOutOfRange => "length-out-of-range",
        AttackKind.TruncatedHeader => "truncated-header",
        AttackKind.WrongProtocolId => "wrong-protocol-id",
        AttackKind.WrongUnitId => "wrong-unit-id",
        AttackKind.WrongTransactionId => "wrong-transaction-id",
        AttackKind.LateReply => "late-reply",
        AttackKind.IllegalFunctionInReply => "illegal-function-in-reply",
        AttackKind.ExceptionResponse => "exception-response",
        AttackKind.ExceptionUndefinedCode => "exception-undefined-code",
        AttackKind.ByteCountTooLarge => "byte-count-too-large",
        AttackKind.ByteCountTooSmall => "byte-count-too-small",
        AttackKind.ByteCountOdd => "byte-count-odd",
        AttackKind.OversizedFrame => "oversized-frame",
        AttackKind.Garbage => "garbage",
        AttackKind.DripFeed => "drip-feed",
        AttackKind.SplitFrame => "split-frame",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not an attack kind"),
    };

    /// <summary>The kind called <paramref name="name"/> (kebab case).</summary>
    public static bool TryParse(string name, out AttackKind kind)
    {
        foreach (AttackKind candidate in All)
        {
            if (Name(candidate) == name)
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }

    /// <summary>
    /// What <see cref="ModbusTransport.TransactAsync"/> may return for a request answered with
    /// <paramref name="kind"/> (see <see cref="AttackKind"/>). Ok never means the value is good: for every
    /// kind but <see cref="AttackKind.LateReply"/> and <see cref="AttackKind.SplitFrame"/> the parser must
    /// reject the ADU.
    /// </summary>
    public static ImmutableArray<TransactionStatus> TransportOutcomes(AttackKind kind) => kind switch
    {
        AttackKind.LengthTooLong or AttackKind.WrongTransactionId or AttackKind.DripFeed => [TransactionStatus.Timeout],
        AttackKind.LengthOutOfRange or AttackKind.OversizedFrame => [TransactionStatus.FramingError],
        AttackKind.TruncatedHeader => [TransactionStatus.ConnectionClosed],
        AttackKind.Garbage => [TransactionStatus.FramingError, TransactionStatus.ConnectionClosed],
        _ => [TransactionStatus.Ok],
    };

    /// <summary>True for the kinds whose reply a gateway must publish: the correct reply arrives intact.</summary>
    public static bool CarriesValidReply(AttackKind kind) => kind is AttackKind.LateReply or AttackKind.SplitFrame;
}
