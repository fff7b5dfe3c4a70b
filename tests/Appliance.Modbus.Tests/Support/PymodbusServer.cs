using Appliance.Testing;

namespace Appliance.Modbus.Tests.Support;

/// <summary>
/// pymodbus 3.0's Modbus TCP server (Debian's python3-pymodbus, under /usr/bin/python3) on a free
/// loopback port, running <c>peers/pymodbus_server.py</c>; stopped by its process id.
/// </summary>
internal sealed class PymodbusServer : IDisposable
{
    private readonly ChildProcess _process;

    private PymodbusServer(ChildProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static PymodbusServer Start(bool oneOff = false)
    {
        int port = FreePort.Next();
        string script = Path.Combine(Repository.Root, "tests", "Appliance.Modbus.Tests", "peers", "pymodbus_server.py");
        List<string> arguments = [script, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        if (oneOff)
        {
            arguments.Add("--one-off");
        }

        ChildProcess process = ChildProcess.Start("/usr/bin/python3", arguments);
        process.WaitForStdoutLine("ready 127.0.0.1:");
        return new PymodbusServer(process, port);
    }

    public void Dispose() => _process.Dispose();
}
