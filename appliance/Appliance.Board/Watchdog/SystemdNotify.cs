using System.Net.Sockets;
using System.Text;

namespace Appliance.Board.Watchdog;

/// <summary>
/// systemd's notification socket (<c>sd_notify</c>): under a unit with <c>Type=notify</c> systemd sets
/// <c>NOTIFY_SOCKET</c> and waits for <c>READY=1</c>; <c>STOPPING=1</c>, <c>STATUS=…</c> and the watchdog's
/// <c>WATCHDOG=1</c> go the same way. Outside systemd there is no socket and nothing is sent.
/// </summary>
public sealed class SystemdNotify : IDisposable
{
    private readonly Socket _socket;
    private readonly UnixDomainSocketEndPoint _endpoint;

    private SystemdNotify(string socket)
    {
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        _endpoint = new UnixDomainSocketEndPoint(socket.StartsWith('@') ? "\0" + socket[1..] : socket);
    }

    /// <summary>The socket systemd named for this service, or null outside systemd.</summary>
    public static SystemdNotify? FromEnvironment() =>
        Environment.GetEnvironmentVariable("NOTIFY_SOCKET") is { Length: > 0 } socket ? new SystemdNotify(socket) : null;

    /// <summary>Sends one notification, e.g. "READY=1"; a systemd that does not listen is not an error.</summary>
    public void Send(string message)
    {
        try
        {
            _socket.SendTo(Encoding.UTF8.GetBytes(message), _endpoint);
        }
        catch (SocketException)
        {
            // systemd is not listening: it acts on what it did not hear (a start timeout, missed kicks) itself
        }
    }

    public void Dispose() => _socket.Dispose();
}
