using Appliance.Testing;
using System.Text;

namespace Appliance.Tests.Cli;

/// <summary>
/// <c>appliance config check</c> on good and hostile files, through the published binary. Every bad file
/// exits 2 with <c>FILE:LINE:COL:</c> and a message that says what to fix, and none of them crashes it.
/// </summary>
public sealed class ConfigCheckTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task TheExampleConfigurationPassesTheCheck()
    {
        (int code, string example, _) = await Product.RunAsync("config", "example");
        Assert.Equal(0, code);
        string file = _dir.File("example.toml", example);

        (code, string stdout, string stderr) = await Product.RunAsync("config", "check", file);

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stderr);
        Assert.Contains($"{file}: ok", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownKeyIsReportedWithItsPositionAndASuggestion()
    {
        string file = _dir.File("c.toml", "[mqtt]\nbrokr = \"mqtt://127.0.0.1:1883\"\n");

        await AssertRejectedAsync(file, $"{file}:2:1: unknown key \"brokr\" in [mqtt]; did you mean \"broker\"?");
    }

    [Fact]
    public async Task AWrongTypeIsReportedAtTheValue()
    {
        string file = _dir.File("c.toml", "[mqtt]\nqos = \"1\"\n");

        await AssertRejectedAsync(file, $"{file}:2:7: mqtt.qos must be an integer, not a string; remove the quotes");
    }

    [Fact]
    public async Task APollIntervalOfZeroIsRejected()
    {
        string file = _dir.File("c.toml", """
            [[device]]
            name = "plc"
            host = "127.0.0.1"

            [[device.group]]
            name = "fast"
            interval = "0s"

            [[device.group.tag]]
            name = "t"
            address = 0
            """);

        await AssertRejectedAsync(file, $"{file}:7:12: device.group.interval \"0s\" must be at least 10ms");
    }

    [Fact]
    public async Task ADuplicateKeyIsRejected()
    {
        string file = _dir.File("c.toml", "[node]\nid = \"a\"\nid = \"b\"\n");

        await AssertRejectedAsync(file, $"{file}:3:1: ");
        (_, _, string stderr) = await Product.RunAsync("config", "check", file);
        Assert.Contains("\"id\"", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARedefinedTableIsRejected()
    {
        string file = _dir.File("c.toml", "[mqtt]\nqos = 1\n\n[mqtt]\nqos = 0\n");

        await AssertRejectedAsync(file, $"{file}:4:");
        (_, _, string stderr) = await Product.RunAsync("config", "check", file);
        Assert.Contains("mqtt", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidUtf8IsRejectedWithItsPosition()
    {
        byte[] bytes = [.. "[node]\nid = \"ab"u8, 0xC3, 0x28, .. "\"\n"u8];
        string file = _dir.File("c.toml", bytes);

        await AssertRejectedAsync(file, $"{file}:2:9: ");
        (_, _, string stderr) = await Product.RunAsync("config", "check", file);
        Assert.Contains("UTF-8", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHundredThousandNestedArraysAreRejectedWithoutACrash()
    {
        string file = _dir.File("c.toml", "x = " + new string('[', 100_000) + new string(']', 100_000) + "\n");

        await AssertRejectedAsync(file, $"{file}:1:");
        (_, _, string stderr) = await Product.RunAsync("config", "check", file);
        Assert.Contains("64", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHundredThousandNestedInlineTablesAreRejectedWithoutACrash()
    {
        var text = new StringBuilder("x = ");
        for (int i = 0; i < 100_000; i++)
        {
            text.Append("{a=");
        }

        text.Append('1').Append('}', 100_000).Append('\n');
        string file = _dir.File("c.toml", text.ToString());

        await AssertRejectedAsync(file, $"{file}:1:");
    }

    [Fact]
    public async Task AFiftyMegabyteFileIsRejectedWithoutReadingItAll()
    {
        string file = Path.Combine(_dir.Path, "big.toml");
        using (FileStream stream = File.Create(file))
        {
            byte[] line = "# comment line padding the file out to fifty megabytes ...............\n"u8.ToArray();
            for (long written = 0; written < 50L * 1024 * 1024; written += line.Length)
            {
                stream.Write(line);
            }
        }

        await AssertRejectedAsync(file, $"{file}:1:1: the file is");
    }

    [Fact]
    public async Task EveryProblemInAFileIsReportedNotJustTheFirst()
    {
        string file = _dir.File("c.toml", "[mqtt]\nqos = 2\nkeepalive = \"5\"\nbrokr = \"x\"\n");

        (int code, _, string stderr) = await Product.RunAsync("config", "check", file);

        Assert.Equal(2, code);
        Assert.Contains($"{file}:2:7: mqtt.qos must be 0 or 1, not 2", stderr, StringComparison.Ordinal);
        Assert.Contains($"{file}:3:13: mqtt.keepalive: \"5\" has no unit", stderr, StringComparison.Ordinal);
        Assert.Contains($"{file}:4:1: unknown key \"brokr\"", stderr, StringComparison.Ordinal);
        Assert.Contains("3 errors", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingFileIsAConfigurationErrorNotACrash()
    {
        string file = Path.Combine(_dir.Path, "absent.toml");

        (int code, _, string stderr) = await Product.RunAsync("config", "check", file);

        Assert.Equal(2, code);
        Assert.Contains($"{file}: cannot read the configuration file: the file does not exist", stderr, StringComparison.Ordinal);
    }

    private static async Task AssertRejectedAsync(string file, string expectedStart)
    {
        (int code, string stdout, string stderr) = await Product.RunAsync("config", "check", file);

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        string first = stderr.Split('\n')[0];
        Assert.StartsWith(expectedStart, first, StringComparison.Ordinal);
        Assert.Matches(@"^.+:\d+:\d+: \S", first);
    }
}
