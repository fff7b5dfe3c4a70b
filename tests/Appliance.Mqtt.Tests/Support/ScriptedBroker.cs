using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Appliance.Mqtt.Tests.Support;

/// <summary>
/// A fake broker for hostile-broker tests: a TCP listener on a free loopback port whose connections the test
/// drives byte by byte through <see cref="BrokerPeer"/>. It never answers on its own.
/// </summary>
internal sealed class ScriptedBroker : IAsyncDisposable
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Channel<TcpClient> _accepted = Channel.CreateUnbounded<TcpClient>();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<BrokerPeer> _peers = [];
    private readonly Task _acceptLoop;

    public ScriptedBroker()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port { get; }

    /// <summary>Connections accepted so far, whether or not the test has taken them.</summary>
    public int Accepted { get; private set; }

    /// <summary>The next client connection; fails the test if none comes.</summary>
    public async Task<BrokerPeer> NextAsync(MqttProtocolVersion version)
    {
        using var guard = new CancellationTokenSource(Guard);
        TcpClient client = await _accepted.Reader.ReadAsync(guard.Token);
        var peer = new BrokerPeer(client, version);
        _peers.Add(peer);
        return peer;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped
        }

        foreach (BrokerPeer peer in _peers)
        {
            peer.Dispose();
        }

        while (_accepted.Reader.TryRead(out TcpClient? left))
        {
            left.Dispose();
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
            Accepted++;
            await _accepted.Writer.WriteAsync(client, _stop.Token);
        }
    }
}
