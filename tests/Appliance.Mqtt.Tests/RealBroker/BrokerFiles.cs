using Appliance.Testing;

namespace Appliance.Mqtt.Tests.RealBroker;

/// <summary>
/// A world-readable folder for the password and ACL files a test hands to mosquitto (started as root, it reads
/// them as user mosquitto), and for the client's credentials file.
/// </summary>
internal sealed class BrokerFiles : IDisposable
{
    private const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public BrokerFiles()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("mqtt-files-").FullName;
        File.SetUnixFileMode(Directory, Readable | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
    }

    public string Directory { get; }

    public async Task<string> PasswordFileAsync(string user, string password)
    {
        string path = Path.Combine(Directory, "passwords");
        (int code, _, string stderr) = await ChildProcess.RunAsync("/usr/bin/mosquitto_passwd", "-c", "-b", path, user, password);
        Assert.True(code == 0, stderr);
        File.SetUnixFileMode(path, Readable);
        return path;
    }

    public string Write(string name, string text)
    {
        string path = Path.Combine(Directory, name);
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, Readable);
        return path;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
