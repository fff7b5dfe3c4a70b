using System.Globalization;
using Appliance.Config;
using Appliance.Gateway.Polling;
using Appliance.Gateway.Telemetry;
using Appliance.Testing;

namespace Appliance.Gateway.Tests;

/// <summary>A data path built from the shipped example configuration, pointed at a test peer, with a collecting sink.</summary>
internal sealed class TestGateway : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();

    public TestGateway(int port, string extraToml = "", string requestTimeout = "100ms", Func<string, string>? edit = null, ITelemetrySink? sink = null, IReadOnlyDictionary<string, byte[]>? guests = null)
    {
        Config = ExampleConfiguration(_directory.Path, port, requestTimeout, edit, extraToml);
        Path = new DataPath(Config, guests ?? Guest.Parsers, sink ?? Sink, new Alarms(TimeProvider.System), TimeProvider.System, Log);
    }

    public RecentLog Log { get; } = new();

    public ApplianceConfig Config { get; }

    public CollectingSink Sink { get; } = new();

    public DataPath Path { get; }

    public string Topic => Config.Telemetry.TopicFor(Config.Node.Id, Config.Devices[0].Name, Config.Devices[0].Groups[0].Name);

    /// <summary>The example configuration with the PLC on <paramref name="port"/>, the spool in <paramref name="directory"/>, edited and extended as given.</summary>
    public static ApplianceConfig ExampleConfiguration(string directory, int port, string requestTimeout = "100ms", Func<string, string>? edit = null, string extraToml = "")
    {
        string text = ExampleConfig.Text
            .ReplaceExactly("port = 5020", "port = " + port.ToString(CultureInfo.InvariantCulture))
            .ReplaceExactly("request_timeout = \"1s\"", $"request_timeout = \"{requestTimeout}\"")
            .ReplaceExactly("/var/lib/appliance/spool.db", System.IO.Path.Combine(directory, "spool.db"));
        text = (edit ?? (t => t))(text) + extraToml;
        ConfigLoadResult loaded = ConfigLoader.Parse(System.Text.Encoding.UTF8.GetBytes(text), "test.toml", directory);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Errors));
        return loaded.Config;
    }

    public async ValueTask DisposeAsync()
    {
        await Path.DisposeAsync();
        _directory.Dispose();
    }
}
