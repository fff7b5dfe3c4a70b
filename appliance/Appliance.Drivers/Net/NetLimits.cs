namespace Appliance.Drivers.Net;

/// <summary>What one driver may do on the network, whatever the mode allows.</summary>
/// <param name="MaxConnections">Connections open at once.</param>
/// <param name="BytesPerConnection">Bytes sent and received on one connection, in all.</param>
/// <param name="BytesPerMinute">Bytes sent and received on all connections within a minute.</param>
/// <param name="ConnectTimeout">Longest wait for a connection.</param>
/// <param name="ReceiveWait">Longest wait for the first byte of a receive.</param>
public sealed record NetLimits(int MaxConnections, long BytesPerConnection, long BytesPerMinute, TimeSpan ConnectTimeout, TimeSpan ReceiveWait)
{
    public static NetLimits Default { get; } = new(4, 64 * 1024, 256 * 1024, TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(200));
}
