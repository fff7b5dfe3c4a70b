using System.Net;
using System.Net.Sockets;
using Appliance.Drivers.Net;
using Appliance.Drivers.Policy;
using Appliance.Testing;

namespace Appliance.Drivers.Tests.Net;

/// <summary>Connections the host opens for a driver, on loopback listeners started here: the mode, the handles and the quotas.</summary>
public sealed class ConnectionsTests : IDisposable
{
    private readonly TcpListener _allowed = Listen();
    private readonly TcpListener _other = Listen();

    public void Dispose()
    {
        _allowed.Stop();
        _other.Stop();
    }

    [Fact]
    public void SecureChannelConnectsToTheAllowlistOnlyAndTheBytesArrive()
    {
        var policy = new DriverPolicy(PolicyMode.SecureChannel, [Endpoint(_allowed)], breachAllowed: false, audit: null);
        using var connections = new Connections(policy, NetLimits.Default, TimeProvider.System);

        Assert.Equal(NetError.Denied, connections.TryConnect(Text(_other), out _, out _));
        Assert.Null(connections.TryConnect(Text(_allowed), out uint handle, out _));
        Assert.Null(connections.TrySend(handle, "pressure=4.25\n"u8, out uint sent));
        using TcpClient peer = _allowed.AcceptTcpClient();
        byte[] received = new byte[64];
        int read = peer.GetStream().Read(received);

        Assert.Equal(14u, sent);
        Assert.Equal("pressure=4.25\n", System.Text.Encoding.ASCII.GetString(received, 0, read));
        Assert.False(_other.Pending());
    }

    [Fact]
    public void DataDiodeAndLockdownConnectNowhere()
    {
        foreach (PolicyMode mode in new[] { PolicyMode.DataDiode, PolicyMode.Lockdown })
        {
            var policy = new DriverPolicy(mode, [Endpoint(_allowed)], breachAllowed: false, audit: null);
            using var connections = new Connections(policy, NetLimits.Default, TimeProvider.System);

            Assert.Equal(NetError.Denied, connections.TryConnect(Text(_allowed), out _, out _));
        }

        Assert.False(_allowed.Pending());
    }

    [Fact]
    public void ASwitchToAStricterModeClosesTheOpenConnectionOnItsNextUse()
    {
        var policy = new DriverPolicy(PolicyMode.SecureChannel, [Endpoint(_allowed)], breachAllowed: false, audit: null);
        using var connections = new Connections(policy, NetLimits.Default, TimeProvider.System);
        Assert.Null(connections.TryConnect(Text(_allowed), out uint handle, out _));

        policy.Switch(PolicyMode.DataDiode, "test");

        Assert.Equal(NetError.Closed, connections.TrySend(handle, "x"u8, out _));
        Assert.Equal(NetError.BadHandle, connections.TrySend(handle, "x"u8, out _));
        Assert.Equal(0, connections.Open);
    }

    [Fact]
    public void BytesAreCappedPerConnectionAndPerMinute()
    {
        var time = new ManualTimeProvider();
        var policy = new DriverPolicy(PolicyMode.SecureChannel, [Endpoint(_allowed)], breachAllowed: false, audit: null);
        using var connections = new Connections(policy, NetLimits.Default with { BytesPerConnection = 1000, BytesPerMinute = 1500 }, time);
        byte[] chunk = new byte[400];

        Assert.Null(connections.TryConnect(Text(_allowed), out uint first, out _));
        Assert.Null(connections.TrySend(first, chunk, out _));
        Assert.Null(connections.TrySend(first, chunk, out _));
        Assert.Equal(NetError.Quota, connections.TrySend(first, chunk, out uint sent)); // 1200 > 1000 on this connection
        Assert.Equal(0u, sent);
        Assert.Null(connections.TryConnect(Text(_allowed), out uint second, out _));
        Assert.Null(connections.TrySend(second, chunk, out _));                         // 1200 this minute
        Assert.Equal(NetError.Quota, connections.TrySend(second, chunk, out _));        // 1600 > 1500

        time.Advance(TimeSpan.FromMinutes(1));

        Assert.Null(connections.TrySend(second, chunk, out _));
    }

    [Fact]
    public void HandlesAreTheDriversOnlyAndLimitedInNumber()
    {
        var policy = new DriverPolicy(PolicyMode.SecureChannel, [Endpoint(_allowed)], breachAllowed: false, audit: null);
        using var connections = new Connections(policy, NetLimits.Default with { MaxConnections = 2 }, TimeProvider.System);

        Assert.Equal(NetError.BadHandle, connections.TrySend(0, "x"u8, out _));
        Assert.Equal(NetError.BadHandle, connections.TryReceive(12345, 10, out _));
        Assert.Null(connections.TryConnect(Text(_allowed), out _, out _));
        Assert.Null(connections.TryConnect(Text(_allowed), out uint second, out _));
        Assert.Equal(NetError.TooMany, connections.TryConnect(Text(_allowed), out _, out _));
        connections.CloseHandle(second);
        connections.CloseHandle(second); // twice: ignored
        Assert.Null(connections.TryConnect(Text(_allowed), out _, out _));
    }

    [Fact]
    public void ReceiveReturnsWhatArrivedOrNothingAfterTheWait()
    {
        var policy = new DriverPolicy(PolicyMode.SecureChannel, [Endpoint(_allowed)], breachAllowed: false, audit: null);
        using var connections = new Connections(policy, NetLimits.Default, TimeProvider.System);
        Assert.Null(connections.TryConnect(Text(_allowed), out uint handle, out _));
        using TcpClient peer = _allowed.AcceptTcpClient();

        Assert.Null(connections.TryReceive(handle, 100, out byte[] nothing));
        Assert.Empty(nothing);
        peer.GetStream().Write("ack"u8);
        Assert.Null(connections.TryReceive(handle, 100, out byte[] ack));
        Assert.Equal("ack"u8.ToArray(), ack);
        peer.Close();
        Assert.Equal(NetError.Closed, connections.TryReceive(handle, 100, out _));
    }

    [Fact]
    public void NothingListeningIsRefused()
    {
        int port = FreePort.Next();
        Assert.True(Drivers.Policy.Endpoint.TryParse($"127.0.0.1:{port}", out Endpoint closed, out _));
        var policy = new DriverPolicy(PolicyMode.SecureChannel, [closed], breachAllowed: false, audit: null);
        using var connections = new Connections(policy, NetLimits.Default, TimeProvider.System);

        Assert.Equal(NetError.Refused, connections.TryConnect($"127.0.0.1:{port}", out _, out _));
    }

    private static TcpListener Listen()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    private static string Text(TcpListener listener) => $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";

    private static Endpoint Endpoint(TcpListener listener) =>
        Drivers.Policy.Endpoint.TryParse(Text(listener), out Drivers.Policy.Endpoint endpoint, out _) ? endpoint : throw new InvalidOperationException();
}
