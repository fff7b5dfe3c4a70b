namespace Appliance.Modbus;

/// <summary>The outcome of <see cref="ModbusTransport.TransactAsync"/>.</summary>
/// <param name="Status">How the transaction ended.</param>
/// <param name="ResponseLength">For <see cref="TransactionStatus.Ok"/>: bytes of the reply ADU in the caller's buffer, header included (8..260). Otherwise 0.</param>
/// <param name="TransactionId">The transaction id the request carried (0 when nothing was sent).</param>
/// <param name="StaleReplies">Replies with another transaction id that were read and discarded during this transaction.</param>
/// <param name="RetryAfter">For <see cref="TransactionStatus.ConnectFailed"/> and <see cref="TransactionStatus.BackingOff"/>: time until the next connect attempt.</param>
public readonly record struct TransactionResult(
    TransactionStatus Status,
    int ResponseLength,
    ushort TransactionId,
    int StaleReplies,
    TimeSpan RetryAfter)
{
    /// <summary>True when a reply ADU is in the caller's buffer.</summary>
    public bool IsOk => Status == TransactionStatus.Ok;
}
