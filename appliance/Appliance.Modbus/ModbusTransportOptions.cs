namespace Appliance.Modbus;

/// <summary>Where and how a <see cref="ModbusTransport"/> talks to one device.</summary>
/// <param name="Name">The device's name, for logs.</param>
/// <param name="Host">IP address or host name.</param>
/// <param name="Port">TCP port.</param>
/// <param name="ConnectTimeout">Deadline for opening the connection.</param>
/// <param name="RequestTimeout">One deadline for a whole transaction, from the request's first byte written to the reply's last byte read.</param>
/// <param name="Backoff">Delay between failed connect attempts.</param>
public sealed record ModbusTransportOptions(
    string Name,
    string Host,
    int Port,
    TimeSpan ConnectTimeout,
    TimeSpan RequestTimeout,
    BackoffOptions Backoff)
{
    /// <summary>Replies with another transaction id a transaction reads before it gives up and resyncs.</summary>
    public int MaxStaleReplies { get; init; } = 16;

    /// <summary>Transaction id of the first request; later ones count up and wrap at 65535.</summary>
    public ushort FirstTransactionId { get; init; } = 1;
}
