using System.Net.Sockets;
using Appliance.Drivers.Policy;

namespace Appliance.Drivers.Net;

/// <summary>
/// The connections of one driver: the host opens the sockets, the driver holds small integer handles. Every call asks
/// the policy again, so a connection that a mode switch forbids is closed on its next use. Bytes are counted per
/// connection and per minute, both ways, against <see cref="NetLimits"/>.
/// </summary>
public sealed class Connections : IDisposable
{
    private readonly DriverPolicy _policy;
    private readonly NetLimits _limits;
    private readonly TimeProvider _time;
    private readonly Dictionary<uint, Connection> _open = [];
    private uint _nextHandle = 1;
    private long _minuteStart;
    private long _minuteBytes;

    public Connections(DriverPolicy policy, NetLimits limits, TimeProvider time)
    {
        _policy = policy;
        _limits = limits;
        _time = time;
        _minuteStart = time.GetTimestamp();
    }

    public int Open => _open.Count;

    /// <summary>Opens a connection if the mode allows the endpoint. <paramref name="endpoint"/> is set when the text parsed.</summary>
    public NetError? TryConnect(string text, out uint handle, out Endpoint? endpoint)
    {
        handle = 0;
        endpoint = null;
        if (!Endpoint.TryParse(text, out Endpoint parsed, out _))
        {
            return NetError.BadAddress;
        }

        endpoint = parsed;
        if (!_policy.MayConnect(parsed))
        {
            return NetError.Denied;
        }

        if (_open.Count >= _limits.MaxConnections)
        {
            return NetError.TooMany;
        }

        var socket = new Socket(parsed.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = new CancellationTokenSource(_limits.ConnectTimeout);
            socket.ConnectAsync(parsed.ToIPEndPoint(), timeout.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            return e is OperationCanceledException ? NetError.Timeout : Classify((SocketException)e);
        }

        socket.SendTimeout = (int)_limits.ConnectTimeout.TotalMilliseconds; // a peer that stops reading cannot hold the driver
        handle = _nextHandle++;
        _open[handle] = new Connection(socket, parsed);
        return null;
    }

    public NetError? TrySend(uint handle, ReadOnlySpan<byte> data, out uint sent)
    {
        sent = 0;
        if (Usable(handle) is { } refused)
        {
            return refused;
        }

        Connection connection = _open[handle];
        if (!Spend(connection, data.Length))
        {
            return NetError.Quota;
        }

        try
        {
            int total = 0;
            while (total < data.Length)
            {
                total += connection.Socket.Send(data[total..]);
            }

            sent = (uint)total;
            return null;
        }
        catch (SocketException e)
        {
            CloseHandle(handle);
            return Classify(e);
        }
    }

    public NetError? TryReceive(uint handle, int maxBytes, out byte[] data)
    {
        data = [];
        if (Usable(handle) is { } refused)
        {
            return refused;
        }

        Connection connection = _open[handle];
        long allowed = Math.Min(Math.Min(maxBytes, 64 * 1024), Math.Min(_limits.BytesPerConnection - connection.Bytes, _limits.BytesPerMinute - MinuteBytes()));
        if (allowed <= 0)
        {
            return NetError.Quota;
        }

        try
        {
            if (!connection.Socket.Poll(_limits.ReceiveWait, SelectMode.SelectRead))
            {
                return null; // nothing arrived in time
            }

            byte[] buffer = new byte[allowed];
            int read = connection.Socket.Receive(buffer);
            if (read == 0)
            {
                CloseHandle(handle);
                return NetError.Closed;
            }

            _ = Spend(connection, read);
            data = buffer[..read];
            return null;
        }
        catch (SocketException e)
        {
            CloseHandle(handle);
            return Classify(e);
        }
    }

    public void CloseHandle(uint handle)
    {
        if (_open.Remove(handle, out Connection? connection))
        {
            connection.Socket.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (Connection connection in _open.Values)
        {
            connection.Socket.Dispose();
        }

        _open.Clear();
    }

    /// <summary>The handle is open and the mode still allows its endpoint (else it is closed now).</summary>
    private NetError? Usable(uint handle)
    {
        if (!_open.TryGetValue(handle, out Connection? connection))
        {
            return NetError.BadHandle;
        }

        if (!_policy.MayConnect(connection.Endpoint))
        {
            CloseHandle(handle);
            return NetError.Closed;
        }

        return null;
    }

    private bool Spend(Connection connection, int bytes)
    {
        if (connection.Bytes + bytes > _limits.BytesPerConnection || MinuteBytes() + bytes > _limits.BytesPerMinute)
        {
            return false;
        }

        connection.Bytes += bytes;
        _minuteBytes += bytes;
        return true;
    }

    private long MinuteBytes()
    {
        if (_time.GetElapsedTime(_minuteStart) >= TimeSpan.FromMinutes(1))
        {
            _minuteStart = _time.GetTimestamp();
            _minuteBytes = 0;
        }

        return _minuteBytes;
    }

    private static NetError Classify(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => NetError.Refused,
        SocketError.TimedOut => NetError.Timeout,
        SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.AddressNotAvailable => NetError.Unreachable,
        _ => NetError.Closed,
    };

    private sealed class Connection(Socket socket, Endpoint endpoint)
    {
        public Socket Socket { get; } = socket;

        public Endpoint Endpoint { get; } = endpoint;

        public long Bytes { get; set; }
    }
}
