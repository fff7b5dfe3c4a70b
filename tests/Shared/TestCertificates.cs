namespace Appliance.Testing;

/// <summary>
/// A test PKI made with the openssl command line, once per test class: a CA, a broker certificate for
/// 127.0.0.1 and localhost, a client certificate for mutual TLS, and a second CA that signed nothing the
/// broker uses. Files are world-readable because mosquitto, started as root, reads them as user mosquitto.
/// </summary>
public sealed class TestCertificates : IAsyncLifetime
{
    private string? _directory;

    public string Directory => _directory ?? throw new InvalidOperationException("not initialized");

    public string CaFile => Path.Combine(Directory, "ca.crt");

    public string ServerCertFile => Path.Combine(Directory, "server.crt");

    public string ServerKeyFile => Path.Combine(Directory, "server.key");

    public string ClientCertFile => Path.Combine(Directory, "client.crt");

    public string ClientKeyFile => Path.Combine(Directory, "client.key");

    public string OtherCaFile => Path.Combine(Directory, "other-ca.crt");

    public async Task InitializeAsync()
    {
        _directory = System.IO.Directory.CreateTempSubdirectory("mqtt-pki-").FullName;
        await MakeCaAsync("ca", "Appliance Test CA");
        await MakeCaAsync("other-ca", "Some Other CA");
        await MakeLeafAsync("server", "127.0.0.1", "extendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n");
        await MakeLeafAsync("client", "test-gw", "extendedKeyUsage=clientAuth\n");
        File.SetUnixFileMode(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        foreach (string file in System.IO.Directory.GetFiles(Directory))
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
    }

    public Task DisposeAsync()
    {
        if (_directory is not null)
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }

        return Task.CompletedTask;
    }

    private async Task MakeCaAsync(string name, string subject) => await OpensslAsync(
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", Path.Combine(Directory, $"{name}.key"), "-out", Path.Combine(Directory, $"{name}.crt"), "-days", "2", "-subj", $"/CN={subject}");

    private async Task MakeLeafAsync(string name, string commonName, string extensions)
    {
        string ext = Path.Combine(Directory, $"{name}.ext");
        await File.WriteAllTextAsync(ext, "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\n" + extensions);
        string csr = Path.Combine(Directory, $"{name}.csr");
        await OpensslAsync(
            "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", Path.Combine(Directory, $"{name}.key"), "-out", csr, "-subj", $"/CN={commonName}");
        await OpensslAsync(
            "x509", "-req", "-in", csr, "-CA", CaFile, "-CAkey", Path.Combine(Directory, "ca.key"), "-CAcreateserial",
            "-out", Path.Combine(Directory, $"{name}.crt"), "-days", "2", "-extfile", ext);
    }

    private static async Task OpensslAsync(params string[] arguments)
    {
        (int code, _, string stderr) = await ChildProcess.RunAsync("/usr/bin/openssl", arguments);
        if (code != 0)
        {
            throw new InvalidOperationException($"openssl {string.Join(' ', arguments)} failed ({code}): {stderr}");
        }
    }
}
