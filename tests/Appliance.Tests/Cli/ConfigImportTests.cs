using Appliance.Testing;

namespace Appliance.Tests.Cli;

/// <summary>
/// <c>appliance config import FROM TO</c>, the headless configuration of the SD-card image, through the published
/// binary: a valid file becomes the active one (checked as if it were there: its relative paths resolve beside TO); a
/// file with mistakes is refused with its errors beside it and beside the active one, which stays and runs, and the
/// running appliance says so in its status; a fixed file clears the refusal.
/// </summary>
public sealed class ConfigImportTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _boot;
    private readonly string _data;

    public ConfigImportTests()
    {
        _boot = Directory.CreateDirectory(Path.Combine(_dir.Path, "boot")).FullName;
        _data = Directory.CreateDirectory(Path.Combine(_dir.Path, "data")).FullName;
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AValidFileIsImportedCheckedWhereItWillLive()
    {
        File.WriteAllText(Path.Combine(_data, "vendor.pub"), "-----BEGIN PUBLIC KEY-----\n"); // only beside TO
        string from = Path.Combine(_boot, "appliance.toml");
        string to = Path.Combine(_data, "appliance.toml");
        File.WriteAllText(from, "[node]\nid = \"line-4\"\n[trust]\nkeys = [\"vendor.pub\"]\n");

        (int code, string stdout, string stderr) = await Product.RunAsync("config", "import", from, to);

        Assert.True(code == 0, stderr);
        Assert.Equal($"{from}: valid: imported as {to}\n", stdout);
        Assert.Equal(File.ReadAllText(from), File.ReadAllText(to));
        Assert.False(File.Exists(from + ".errors") || File.Exists(to + ".refused"));

        (code, stdout, _) = await Product.RunAsync("config", "import", from, to);
        Assert.Equal((0, $"{from}: the same as {to}: nothing to import\n"), (code, stdout));

        (code, stdout, _) = await Product.RunAsync("config", "import", Path.Combine(_boot, "absent.toml"), to);
        Assert.Equal(0, code);
        Assert.Contains("not there", stdout, StringComparison.Ordinal);
    }

    /// <summary>What the image's boot gives systemd-timesyncd: the active configuration's [time] servers, in order.</summary>
    [Fact]
    public async Task TheTimeServersAreWrittenAsATimesyncdDropIn()
    {
        string active = Path.Combine(_data, "appliance.toml");
        File.WriteAllText(active, "[node]\nid = \"line-4\"\n[time]\nntp = [\"ntp.plant.example\", \"127.0.0.1\"]\n");

        (int code, string stdout, string stderr) = await Product.RunAsync("config", "timesyncd", active);

        Assert.True(code == 0, stderr);
        Assert.Equal(["[Time]", "NTP=ntp.plant.example 127.0.0.1"], stdout.Split('\n').Where(line => line.Length > 0 && !line.StartsWith('#')));

        File.WriteAllText(active, "[node]\nid = \"line-4\"\n");
        (code, stdout, _) = await Product.RunAsync("config", "timesyncd", active);
        Assert.Equal(0, code);
        Assert.Equal(["[Time]"], stdout.Split('\n').Where(line => line.Length > 0 && !line.StartsWith('#'))); // DHCP's, else the pool

        File.WriteAllText(active, "[time]\nntp = [\"10.0.1\"]\n");
        (code, stdout, stderr) = await Product.RunAsync("config", "timesyncd", active);
        Assert.Equal((2, ""), (code, stdout));
        Assert.Contains($"{active}:2:8: time.ntp: \"10.0.1\" is not an IPv4 address", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFileWithMistakesIsRefusedTheLastGoodOneRunsAndTheStatusSaysSo()
    {
        string from = Path.Combine(_boot, "appliance.toml");
        string to = Path.Combine(_data, "appliance.toml");
        const string Good = "[node]\nid = \"line-4\"\n";
        File.WriteAllText(to, Good);
        File.WriteAllText(from, "[node]\nid = \"line-5\"\n[mqtt]\nqos = 7\n");

        (int code, _, string stderr) = await Product.RunAsync("config", "import", from, to);

        Assert.Equal(2, code);
        string expected = $"{from}:4:7: mqtt.qos must be";
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.Contains($"1 error: {from} refused (see {from}.errors); {to} stays as it is", stderr, StringComparison.Ordinal);
        Assert.Equal(Good, File.ReadAllText(to));
        string errors = File.ReadAllText(from + ".errors");
        Assert.StartsWith("# appliance.toml was refused at ", errors, StringComparison.Ordinal);
        Assert.Contains("\n" + expected, errors, StringComparison.Ordinal);
        Assert.Equal(errors, File.ReadAllText(to + ".refused"));

        // The last good configuration runs, and says that a newer one was refused.
        using (ChildProcess gateway = Product.X64.Start("run", "--config", to, "--console"))
        {
            string status = gateway.WaitForStdoutLine("/status/gateway ");
            Assert.Contains("\"node\":\"line-4\"", status, StringComparison.Ordinal);
            Assert.Contains("\"config_refused\":[\"" + expected, status, StringComparison.Ordinal);
            Assert.Contains("a new configuration was refused at import (1 error, the first: " + expected, gateway.Stderr, StringComparison.Ordinal);
            gateway.Signal(15);
            Assert.Equal(0, await gateway.WaitForExitAsync());
        }

        File.WriteAllText(from, "[node]\nid = \"line-5\"\n[mqtt]\nqos = 1\n");
        (code, _, stderr) = await Product.RunAsync("config", "import", from, to);

        Assert.True(code == 0, stderr);
        Assert.Contains("line-5", File.ReadAllText(to), StringComparison.Ordinal);
        Assert.False(File.Exists(from + ".errors") || File.Exists(to + ".refused"));
    }
}
