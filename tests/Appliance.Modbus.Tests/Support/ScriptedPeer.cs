using System.Net;
using System.Net.Sockets;

namespace Appliance.Modbus.Tests.Support;

/// <summary>
/// A TCP server on a free loopback port whose every byte the test writes by hand: for transport
/// behaviour that no well-behaved server shows (stale replies, lying lengths, a half-sent frame).
/// </summary>
internal sealed class ScriptedPeer : IDisposable
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public ScriptedPeer() => _listener.Start();

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Waits for the transport to connect.</summary>
    public async Task<PeerConnection> AcceptAsync()
    {
        using var limit = new CancellationTokenSource(WaitLimit);
        Socket socket = await _listener.AcceptSocketAsync(limit.Token);
        socket.NoDelay = true;
        return new PeerConnection(socket);
    }

    public void Dispose() => _listener.Stop();

    /// <summary>One accepted connection.</summary>
    internal sealed class PeerConnection(Socket socket) : IDisposable
    {
        /// <summary>Reads one 12-byte read request.</summary>
        public async Task<byte[]> ReadRequestAsync()
        {
            byte[] request = new byte[ReadRequest.AduLength];
            using var limit = new CancellationTokenSource(WaitLimit);
            int at = 0;
            while (at < request.Length)
            {
                int read = await socket.ReceiveAsync(request.AsMemory(at), SocketFlags.None, limit.Token);
                Assert.True(read > 0, "the transport closed the connection instead of sending a request");
                at += read;
            }

            return request;
        }

        /// <summary>True once the transport has closed its end (a read returns 0 or the connection was reset).</summary>
        public async Task<bool> ClosedByClientAsync()
        {
            byte[] sink = new byte[64];
            using var limit = new CancellationTokenSource(WaitLimit);
            try
            {
                while (await socket.ReceiveAsync(sink, SocketFlags.None, limit.Token) > 0)
                {
                }
            }
            catch (SocketException)
            {
                // reset: closed too
            }

            return true;
        }

        public async Task SendAsync(params byte[] bytes)
        {
            int at = 0;
            while (at < bytes.Length)
            {
                at += await socket.SendAsync(bytes.AsMemory(at), SocketFlags.None);
            }
        }

        public void Dispose() => socket.Dispose();
    }
}
