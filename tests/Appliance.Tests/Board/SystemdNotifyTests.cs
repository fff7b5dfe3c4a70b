using System.Net.Sockets;
using System.Text;
using Appliance.Testing;

namespace Appliance.Tests.Board;

/// <summary>
/// The published appliance under a service manager's notification socket, as systemd runs it with <c>Type=notify</c>
/// and <c>WatchdogSec=</c>: <c>READY=1</c> once every task is started, <c>WATCHDOG=1</c> while healthy, and
/// <c>STOPPING=1</c> at SIGTERM, each a datagram on <c>NOTIFY_SOCKET</c>.
/// </summary>
public sealed class SystemdNotifyTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ItSaysReadyKicksTheServiceWatchdogAndSaysStopping()
    {
        string socketPath = Path.Combine(_dir.Path, "notify");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        string config = _dir.File("appliance.toml", "[node]\nid = \"gw\"\n");

        using ChildProcess gateway = ChildProcess.Start("/usr/bin/env", ["NOTIFY_SOCKET=" + socketPath, "WATCHDOG_USEC=3000000", Product.X64.Path, "run", "--config", config, "--console"]);
        var heard = new List<string>();
        string Next()
        {
            byte[] buffer = new byte[4096];
            socket.ReceiveTimeout = 30_000;
            int read = socket.Receive(buffer);
            string message = Encoding.UTF8.GetString(buffer, 0, read);
            heard.Add(message);
            return message;
        }

        while (!(heard.Any(m => m.StartsWith("READY=1\n", StringComparison.Ordinal)) && heard.Count(m => m == "WATCHDOG=1") >= 2))
        {
            Next(); // the first kick may come before or after READY=1
            Assert.True(heard.Count < 20, "expected READY=1 and two kicks: " + string.Join(" | ", heard));
        }

        Assert.StartsWith("READY=1\nSTATUS=polling 0 devices to ", heard.Single(m => m.StartsWith("READY=1", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.All(heard, m => Assert.True(m == "WATCHDOG=1" || m.StartsWith("READY=1", StringComparison.Ordinal), m));
        gateway.Signal(15);
        while (Next() != "STOPPING=1")
        {
            Assert.True(heard.Count < 20, "no STOPPING=1 after SIGTERM: " + string.Join(" | ", heard));
        }

        Assert.Equal(0, await gateway.WaitForExitAsync());
    }
}
