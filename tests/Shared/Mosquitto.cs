using System.Globalization;

namespace Appliance.Testing;

/// <summary>
/// A real mosquitto broker on a free loopback port, started by the test and stopped by its process id.
/// Extra configuration lines (TLS, password file, ACL) are appended to a generated configuration file.
/// </summary>
internal sealed class Mosquitto : IDisposable
{
    private readonly ChildProcess _process;
    private readonly string _directory;

    private Mosquitto(ChildProcess process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public int ProcessId => _process.Id;

    public string Log => _process.Stderr;

    /// <summary>Starts mosquitto and waits until it listens. <paramref name="extraConfig"/> lines are added to its configuration.</summary>
    public static Mosquitto Start(IEnumerable<string>? extraConfig = null, int? port = null, bool allowAnonymous = true)
    {
        int chosen = port ?? FreePort.Next();
        string directory = Directory.CreateTempSubdirectory("mosquitto-").FullName;
        string configPath = Path.Combine(directory, "mosquitto.conf");
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"listener {chosen} 127.0.0.1"),
            allowAnonymous ? "allow_anonymous true" : "allow_anonymous false",
            "persistence false",
            "log_dest stderr",
            "log_type error",
            "log_type warning",
            "log_type notice",
            "log_type information",
        };
        if (extraConfig is not null)
        {
            lines.AddRange(extraConfig);
        }

        File.WriteAllLines(configPath, lines);
        ChildProcess process = ChildProcess.Start("/usr/sbin/mosquitto", ["-c", configPath]);
        process.WaitForStderrLine(" running");
        return new Mosquitto(process, directory, chosen);
    }

    public void Dispose()
    {
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
