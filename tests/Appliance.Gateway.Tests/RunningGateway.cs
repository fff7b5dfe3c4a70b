using System.Globalization;
using System.Text.Json;
using Appliance.Config;
using Appliance.Gateway.Polling;
using Appliance.Gateway.Supervision;
using Appliance.Mqtt.Spool;
using Appliance.Testing;

namespace Appliance.Gateway.Tests;

/// <summary>
/// A whole gateway (<see cref="GatewayHost"/>: real spool, MQTT client, supervisor) running the example configuration
/// against a test PLC, with its broker port left closed so that every message stays in the spool for the test to read.
/// Restarts are paced fast (20 ms doubling to 200 ms) so faults show up quickly.
/// </summary>
internal sealed class RunningGateway : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly CancellationTokenSource _stop = new();

    private RunningGateway(int plcPort, string extraToml, Action<string>? prepare, Func<string, string>? edit, Func<int, System.Device.Gpio.GpioDriver>? gpio, Func<System.Device.I2c.I2cConnectionSettings, System.Device.I2c.I2cDevice>? i2c, IReadOnlyList<string>? configRefused, TimeProvider? time, string? timesyncdRuntime)
    {
        prepare?.Invoke(_directory.Path);
        ApplianceConfig config = TestGateway.ExampleConfiguration(_directory.Path, plcPort, requestTimeout: "2s", edit: text => (edit ?? (t => t))(text
            .ReplaceExactly("interval = \"1s\"", "interval = \"20ms\"")
            .ReplaceExactly("mqtt://127.0.0.1:1883", "mqtt://127.0.0.1:" + FreePort.Next().ToString(CultureInfo.InvariantCulture))), extraToml);
        SpoolPath = config.Spool.Path;
        Host = GatewayHost.Create(config, new GatewayHostOptions
        {
            ParserGuests = Guest.Parsers,
            Logger = Log,
            Supervision = new SupervisorOptions { InitialBackoff = TimeSpan.FromMilliseconds(20), MaxBackoff = TimeSpan.FromMilliseconds(200) },
            DriverGuests = Guest.Drivers,
            GpioDriverOf = gpio,
            I2cDeviceOf = i2c,
            ConfigRefused = configRefused ?? [],
            ControlChannel = true,
            TimeProvider = time ?? TimeProvider.System,
            TimesyncdRuntime = timesyncdRuntime ?? Path.Combine(_directory.Path, "no-timesyncd"),
        });
        Running = Host.RunAsync(_stop.Token);
    }

    public RecentLog Log { get; } = new();

    public GatewayHost Host { get; }

    public Task<GatewayStop> Running { get; }

    public string SpoolPath { get; }

    /// <summary>Starts a gateway; <paramref name="prepare"/> gets the directory the spool will be in, before anything is opened.</summary>
    public static RunningGateway Start(int plcPort, string extraToml = "", Action<string>? prepare = null, Func<string, string>? edit = null, Func<int, System.Device.Gpio.GpioDriver>? gpio = null, Func<System.Device.I2c.I2cConnectionSettings, System.Device.I2c.I2cDevice>? i2c = null, IReadOnlyList<string>? configRefused = null, TimeProvider? time = null, string? timesyncdRuntime = null) =>
        new(plcPort, extraToml, prepare, edit, gpio, i2c, configRefused, time, timesyncdRuntime);

    /// <summary>The directory of the spool and anything else the test puts beside it.</summary>
    public string Directory => _directory.Path;

    public GroupPoller Group(string name) => Host.DataPath.Groups.Single(group => group.Group.Name == name);

    public SupervisedTask Task(string name) => Host.Supervisor.Tasks.Single(task => task.Name == name);

    /// <summary>Waits until <paramref name="condition"/> holds; the timeout only fails the test, with the recent log.</summary>
    public async Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > (timeout ?? TimeSpan.FromSeconds(60)))
            {
                Assert.Fail($"gave up waiting until {what}\nalarms: {string.Join("\n", Host.Alarms.Recent().Select(a => a.Text))}\nlog:\n{Log}");
            }

            if (Running.IsCompleted)
            {
                Assert.Fail($"the gateway stopped ({(await Running).Unrecoverable}) while waiting until {what}\nlog:\n{Log}");
            }

            await System.Threading.Tasks.Task.Delay(10);
        }
    }

    /// <summary>Stops the gateway as SIGTERM would and closes it (the spool last).</summary>
    public async Task<GatewayStop> StopAsync()
    {
        await _stop.CancelAsync();
        GatewayStop stopped = await Running.WaitAsync(TimeSpan.FromSeconds(60));
        await Host.DisposeAsync();
        return stopped;
    }

    /// <summary>After <see cref="StopAsync"/>: the spool reopened, its integrity checked, and the seqs of each telemetry topic and the last status, in spool order.</summary>
    public async Task<(Dictionary<string, List<long>> Seqs, JsonElement? LastStatus)> ReadSpoolAsync()
    {
        await using Spool spool = Spool.Open(new SpoolOptions { Path = SpoolPath, MaxBytes = 256 << 20 });
        Assert.Equal("ok", spool.CheckIntegrity());
        var seqs = new Dictionary<string, List<long>>();
        JsonElement? status = null;
        foreach (SpooledMessage message in spool.ReadAfter(0, int.MaxValue))
        {
            JsonElement root = JsonDocument.Parse(message.Payload).RootElement.Clone();
            if (!root.TryGetProperty("seq", out JsonElement seq))
            {
                status = root;
                continue;
            }

            (seqs.TryGetValue(message.Topic, out List<long>? list) ? list : seqs[message.Topic] = []).Add(seq.GetInt64());
        }

        return (seqs, status);
    }

    public async ValueTask DisposeAsync()
    {
        if (!Running.IsCompleted)
        {
            await _stop.CancelAsync();
            await Running.WaitAsync(TimeSpan.FromSeconds(60));
        }

        await Host.DisposeAsync();
        _stop.Dispose();
        _directory.Dispose();
    }
}
