using System.Net;
using System.Net.Sockets;

namespace Appliance.Modbus.Tests.Support;

/// <summary>A Modbus TCP client that sends whatever bytes the test gives: for requests the transport never sends.</summary>
internal sealed class RawClient : IDisposable
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };

    private RawClient()
    {
    }

    public static async Task<RawClient> ConnectAsync(int port)
    {
        var client = new RawClient();
        await client._socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        return client;
    }

    /// <summary>Sends <paramref name="request"/> and reads one reply ADU, framed by its MBAP length.</summary>
    public async Task<byte[]> ExchangeAsync(params byte[] request)
    {
        await _socket.SendAsync(request, SocketFlags.None);
        byte[] header = await ReadAsync(MbapHeader.Size);
        Assert.True(MbapHeader.TryRead(header, out MbapHeader parsed));
        return [.. header, .. await ReadAsync(parsed.BodyLength)];
    }

    /// <summary>Sends <paramref name="bytes"/> and returns true once the server has closed the connection.</summary>
    public async Task<bool> SendAndSeeClosedAsync(params byte[] bytes)
    {
        await _socket.SendAsync(bytes, SocketFlags.None);
        using var limit = new CancellationTokenSource(WaitLimit);
        byte[] sink = new byte[16];
        try
        {
            return await _socket.ReceiveAsync(sink, SocketFlags.None, limit.Token) == 0;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    public void Dispose() => _socket.Dispose();

    private async Task<byte[]> ReadAsync(int count)
    {
        byte[] buffer = new byte[count];
        using var limit = new CancellationTokenSource(WaitLimit);
        int at = 0;
        while (at < count)
        {
            int read = await _socket.ReceiveAsync(buffer.AsMemory(at), SocketFlags.None, limit.Token);
            Assert.True(read > 0, "the simulator closed the connection");
            at += read;
        }

        return buffer;
    }
}
