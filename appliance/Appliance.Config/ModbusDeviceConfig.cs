namespace Appliance.Config;

/// <summary><c>[[device]]</c>: one PLC polled over Modbus TCP, read-only.</summary>
/// <param name="Name">Unique name, used in topics.</param>
/// <param name="Host">IP address or host name of the PLC.</param>
/// <param name="Port">TCP port (502 by default).</param>
/// <param name="UnitId">Modbus unit identifier, 0–255.</param>
/// <param name="AddressBase">0 when addresses are protocol addresses; 1 when they follow PLC-manual numbering (register 1 is protocol address 0).</param>
/// <param name="ConnectTimeout">Deadline for opening the TCP connection.</param>
/// <param name="RequestTimeout">Deadline for one whole transaction, from the request's first byte to the response's last.</param>
/// <param name="Retries">Further attempts of a failed transaction within one poll.</param>
/// <param name="Backoff">Delay between reconnect attempts.</param>
/// <param name="MaxGap">Largest run of unused registers read to join two tags into one request.</param>
/// <param name="Groups">Poll groups, each at its own interval.</param>
public sealed record ModbusDeviceConfig(
    string Name,
    string Host,
    int Port,
    byte UnitId,
    int AddressBase,
    TimeSpan ConnectTimeout,
    TimeSpan RequestTimeout,
    int Retries,
    BackoffConfig Backoff,
    int MaxGap,
    IReadOnlyList<PollGroupConfig> Groups);
