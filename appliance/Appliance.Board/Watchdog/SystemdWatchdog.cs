using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Appliance.Board.Watchdog;

/// <summary>
/// The service watchdog of systemd: with <c>WatchdogSec=</c> in the unit, systemd sets <c>WATCHDOG_USEC</c> and
/// <c>NOTIFY_SOCKET</c>, expects <c>WATCHDOG=1</c> on that socket in time, and owns the hardware watchdog itself.
/// </summary>
public sealed class SystemdWatchdog : IWatchdog
{
    private readonly Socket _socket;
    private readonly UnixDomainSocketEndPoint _endpoint;

    private SystemdWatchdog(string socket, TimeSpan timeout)
    {
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        _endpoint = new UnixDomainSocketEndPoint(socket.StartsWith('@') ? "\0" + socket[1..] : socket);
        Timeout = timeout;
    }

    public TimeSpan Timeout { get; }

    public string Description => $"systemd (WatchdogSec {Timeout.TotalSeconds:0} s)";

    public TimeSpan KickInterval => Timeout / 3;

    /// <summary>The service watchdog when systemd asked for one (for this process), else null.</summary>
    public static SystemdWatchdog? FromEnvironment()
    {
        string? socket = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        string? usec = Environment.GetEnvironmentVariable("WATCHDOG_USEC");
        string? pid = Environment.GetEnvironmentVariable("WATCHDOG_PID");
        if (string.IsNullOrEmpty(socket) || !long.TryParse(usec, NumberStyles.None, CultureInfo.InvariantCulture, out long microseconds) || microseconds <= 0
            || (pid is not null && pid != Environment.ProcessId.ToString(CultureInfo.InvariantCulture)))
        {
            return null;
        }

        return new SystemdWatchdog(socket, TimeSpan.FromMicroseconds(microseconds));
    }

    public void Kick() => Send("WATCHDOG=1");

    public void Close() => Send("STOPPING=1");

    public void Dispose() => _socket.Dispose();

    private void Send(string message)
    {
        try
        {
            _socket.SendTo(Encoding.ASCII.GetBytes(message), _endpoint);
        }
        catch (SocketException)
        {
            // systemd is not listening: it will act on the missing kicks itself
        }
    }
}
