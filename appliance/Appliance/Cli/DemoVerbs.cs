using System.Globalization;
using System.Text;
using Appliance.Config;
using Appliance.Daemon;
using Appliance.Demo;
using Appliance.Gateway;
using Appliance.Gateway.Composition;
using Appliance.Gateway.Telemetry;
using Appliance.Guests;
using Appliance.Modbus.Simulator;
using Appliance.Mqtt;
using Appliance.Mqtt.Spool;
using Microsoft.Extensions.Logging;

namespace Appliance.Cli;

/// <summary>
/// <c>appliance demo</c>: the whole data path live on one machine. A simulated PLC with attacks switched on, the
/// shipped example configuration pointed at it, the parser triplet with faults injected, telemetry published
/// to the broker and read back from it, and a dashboard every second.
/// </summary>
internal static class DemoVerbs
{
    private const string Usage = "appliance demo [--broker mqtt://HOST:PORT] [--attack-rate R] [--fault-rate F] [--duration DURATION]";

    public static async Task<ExitCode> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var arguments = new Arguments(args, Usage);
        string broker = arguments.Option("--broker") ?? "mqtt://127.0.0.1:1883";
        double attackRate = Rate(arguments.Option("--attack-rate") ?? "0.2", "--attack-rate");
        double faultRate = Rate(arguments.Option("--fault-rate") ?? "0.05", "--fault-rate");
        string? durationText = arguments.Option("--duration");
        arguments.End();
        TimeSpan? duration = null;
        if (durationText is not null)
        {
            duration = TimeSpan.TryParse(durationText, CultureInfo.InvariantCulture, out TimeSpan parsed) && parsed > TimeSpan.Zero
                ? parsed
                : throw new UsageException($"--duration takes hh:mm:ss, not \"{durationText}\"; usage: {Usage}");
        }

        string directory = Directory.CreateTempSubdirectory("appliance-demo-").FullName;
        await using var simulator = new PlcSimulator(new PlcSimulatorOptions { AttackRate = attackRate, Seed = Environment.TickCount, DripDelay = TimeSpan.FromMilliseconds(100) });
        simulator.Start();
        string toml = ExampleConfig.Text
            .Replace("port = 5020", "port = " + simulator.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("interval = \"1s\"", "interval = \"250ms\"", StringComparison.Ordinal)
            .Replace("request_timeout = \"1s\"", "request_timeout = \"300ms\"", StringComparison.Ordinal)
            .Replace("mqtt://127.0.0.1:1883", broker, StringComparison.Ordinal)
            .Replace("/var/lib/appliance/spool.db", Path.Combine(directory, "spool.db"), StringComparison.Ordinal)
            .Replace("bit_flip_rate = 0.0", "bit_flip_rate = " + (faultRate / 2).ToString("R", CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("trap_rate = 0.0", "trap_rate = " + (faultRate / 2).ToString("R", CultureInfo.InvariantCulture), StringComparison.Ordinal);
        ConfigLoadResult loaded = ConfigLoader.Parse(Encoding.UTF8.GetBytes(toml), "demo.toml", directory);
        if (!loaded.IsValid)
        {
            await ConfigVerbs.WriteErrorsAsync(loaded, error, "; the demo did not start").ConfigureAwait(false);
            return ExitCode.UsageOrConfig;
        }

        ApplianceConfig config = loaded.Config;
        var logger = new StderrLogger(error, LogLevel.Warning);
        Dashboard? dashboard = null;
        await using Spool spool = Spool.Open(new SpoolOptions { Path = config.Spool.Path, MaxBytes = config.Spool.MaxBytes, Logger = logger });
        MqttClientOptions options = MqttOptionsMapping.Client(config.Mqtt, config.Node.Id, logger);
        options = new MqttClientOptions
        {
            Broker = options.Broker,
            ClientId = options.ClientId,
            StatusTopic = options.StatusTopic,
            Logger = logger,
            SpoolCounters = () => spool.Counters.ForHealth(),
            MessageReceived = message =>
            {
                dashboard?.Received(message.Topic, message.Payload.Span);
                return ValueTask.CompletedTask;
            },
        };
        await using var mqtt = new MqttClient(options);
        using var stop = new StopSignal();
        Task mqttRunning = mqtt.RunAsync(stop.Token);
        Task pumpRunning = new SpoolPump(spool, mqtt).RunAsync(stop.Token);
        string telemetryFilter = config.Telemetry.TopicFor(config.Node.Id, "+", "+");
        await using var dataPath = new DataPath(
            config,
            EmbeddedGuests.Read("modbus-parser"),
            new SpoolSink(spool, MqttQos.AtLeastOnce),
            SequenceFile.Open(Path.Combine(directory, "telemetry.seq")),
            TimeProvider.System,
            logger);
        dashboard = new Dashboard(simulator, dataPath, broker);
        await output.WriteLineAsync($"appliance demo: PLC simulator on {simulator.EndPoint} (attack rate {attackRate:P0}), broker {broker}, faults on {faultRate:P0} of frames; Ctrl-C stops").ConfigureAwait(false);
        _ = mqtt.SubscribeAsync([new MqttSubscription(telemetryFilter)], stop.Token);
        Task running = dataPath.RunAsync(stop.Token);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Task ended = stop.WaitAsync(duration);
        while (!ended.IsCompleted)
        {
            await Task.WhenAny(ended, Task.Delay(TimeSpan.FromSeconds(1))).ConfigureAwait(false);
            await output.WriteAsync(dashboard.Render(clock.Elapsed)).ConfigureAwait(false);
            await output.FlushAsync().ConfigureAwait(false);
        }

        await running.ConfigureAwait(false);
        await mqtt.DisposeAsync().ConfigureAwait(false);
        await mqttRunning.ConfigureAwait(false);
        await pumpRunning.ConfigureAwait(false);
        await spool.DisposeAsync().ConfigureAwait(false);
        Directory.Delete(directory, recursive: true);
        return ExitCode.Ok;
    }

    private static double Rate(string text, string option) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double rate) && rate is >= 0 and <= 1
            ? rate
            : throw new UsageException($"{option} takes a fraction from 0 to 1, not \"{text}\"; usage: {Usage}");
}
