using System.Net;
using System.Net.Sockets;

namespace Appliance.Mqtt.Tests.Support;

/// <summary>
/// A loopback TCP relay between the client and a real broker, so a test can cut the connection abruptly
/// (RST on both sides, no DISCONNECT), the way a pulled cable or a crashed gateway looks to the broker.
/// </summary>
internal sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _target;
    private readonly Lock _gate = new();
    private readonly List<(Socket Client, Socket Broker)> _pairs = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    public TcpRelay(int target)
    {
        _target = target;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port { get; }

    /// <summary>Resets every relayed connection on both sides.</summary>
    public void SeverAll()
    {
        lock (_gate)
        {
            foreach ((Socket client, Socket broker) in _pairs)
            {
                Reset(client);
                Reset(broker);
            }

            _pairs.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        SeverAll();
        try
        {
            await _acceptLoop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped
        }

        _stop.Dispose();
    }

    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (ObjectDisposedException)
        {
            // already gone
        }
    }

    private static async Task PumpAsync(Socket from, Socket to)
    {
        byte[] buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                int read = await from.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // severed
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client = await _listener.AcceptSocketAsync(_stop.Token);
            var broker = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await broker.ConnectAsync(IPAddress.Loopback, _target, _stop.Token);
            lock (_gate)
            {
                _pairs.Add((client, broker));
            }

            _ = PumpAsync(client, broker);
            _ = PumpAsync(broker, client);
        }
    }
}
