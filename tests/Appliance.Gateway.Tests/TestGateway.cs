using System.Globalization;
using Appliance.Config;
using Appliance.Gateway.Telemetry;

namespace Appliance.Gateway.Tests;

/// <summary>A data path built from the shipped example configuration, pointed at a test peer, with a collecting sink.</summary>
internal sealed class TestGateway : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gateway-test-").FullName;

    public TestGateway(int port, string extraToml = "", string requestTimeout = "100ms", Func<string, string>? edit = null, ITelemetrySink? sink = null)
    {
        string text = ExampleConfig.Text
            .Replace("port = 5020", "port = " + port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("request_timeout = \"1s\"", $"request_timeout = \"{requestTimeout}\"", StringComparison.Ordinal)
            .Replace("/var/lib/appliance/spool.db", System.IO.Path.Combine(_directory, "spool.db"), StringComparison.Ordinal);
        text = (edit ?? (t => t))(text) + extraToml;
        ConfigLoadResult loaded = ConfigLoader.Parse(System.Text.Encoding.UTF8.GetBytes(text), "test.toml", _directory);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Errors));
        Config = loaded.Config!;
        Sequences = SequenceFile.Open(System.IO.Path.Combine(_directory, "telemetry.seq"));
        Path = new DataPath(Config, Guest.ModbusParser, sink ?? Sink, Sequences, TimeProvider.System, Log);
    }

    public RecentLog Log { get; } = new();

    public ApplianceConfig Config { get; }

    public CollectingSink Sink { get; } = new();

    public SequenceFile Sequences { get; }

    public DataPath Path { get; }

    public string Topic => Config.Telemetry.TopicFor(Config.Node.Id, Config.Devices[0].Name, Config.Devices[0].Groups[0].Name);

    public async ValueTask DisposeAsync()
    {
        await Path.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
