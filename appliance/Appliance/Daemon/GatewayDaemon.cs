using System.Globalization;
using System.Data.Common;
using Appliance.Cli;
using Appliance.Config;
using Appliance.Gateway;
using Appliance.Gateway.Composition;
using Appliance.Gateway.Polling;
using Appliance.Gateway.Telemetry;
using Appliance.Guests;
using Appliance.Mqtt;
using Appliance.Mqtt.Spool;
using Appliance.Sandbox.Parsing;
using Microsoft.Extensions.Logging;

namespace Appliance.Daemon;

/// <summary>
/// <c>appliance run</c>: loads and validates the configuration, runs the data path (every device polled, every
/// reply decoded by the parser triplets, telemetry published) until SIGTERM or SIGINT, and shuts down cleanly.
/// A bad configuration stops it before anything starts, with every error listed.
/// </summary>
internal static class GatewayDaemon
{
    public static async Task<ExitCode> RunAsync(string configFile, bool console, TextWriter output, TextWriter error)
    {
        var logger = new StderrLogger(error, LogLevel.Information);
        string version = CommandLine.VersionLine();
        Log.Starting(logger, version, configFile);

        ConfigLoadResult loaded = ConfigLoader.Load(configFile);
        if (!loaded.IsValid)
        {
            await ConfigVerbs.WriteErrorsAsync(loaded, error, "; nothing was started").ConfigureAwait(false);
            Log.ConfigInvalid(logger);
            return ExitCode.UsageOrConfig;
        }

        ApplianceConfig config = loaded.Config;
        string devices = ConfigVerbs.Count(config.Devices.Count, "device");
        string groups = ConfigVerbs.Count(config.Devices.Sum(device => device.Groups.Count), "poll group");
        string tags = ConfigVerbs.Count(config.Devices.Sum(device => device.Groups.Sum(group => group.Tags.Count)), "tag");
        string broker = config.Mqtt.Broker.ToString();
        string mode = config.Tmr.Mode switch
        {
            TmrMode.TwoOutOfThree => "2oo3",
            TmrMode.OneOutOfTwo => "1oo2",
            _ => "1oo1",
        };
        Log.ConfigLoaded(logger, config.Node.Id, devices, groups, tags, broker, mode);

        using var stop = new StopSignal();

        SequenceFile sequences;
        string sequencePath = Path.Combine(Path.GetDirectoryName(config.Spool.Path) ?? ".", "telemetry.seq");
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(sequencePath) ?? ".");
            sequences = SequenceFile.Open(sequencePath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"appliance: cannot open the sequence file {sequencePath} (next to [spool] path): {e.Message}").ConfigureAwait(false);
            return ExitCode.RuntimeFailure;
        }

        if (sequences.LoadProblem is string problem)
        {
            Log.SequenceFileDamaged(logger, problem);
        }

        MqttClient? mqtt = null;
        Alarms? alarms = null; // set once the data path exists; a spool overflow before that is logged only
        Spool? spool = null;
        SpoolPump? pump = null;
        ITelemetrySink sink;
        if (console)
        {
            sink = new ConsoleSink(output);
            Log.TelemetryToConsole(logger);
        }
        else
        {
            try
            {
                spool = Spool.Open(new SpoolOptions
                {
                    Path = config.Spool.Path,
                    MaxBytes = config.Spool.MaxBytes,
                    Logger = logger,
                    Overflowed = overflow => alarms?.Raise(string.Create(
                        CultureInfo.InvariantCulture,
                        $"the spool is full ([spool] max_size): the oldest {overflow.Dropped} messages were dropped ({overflow.DroppedTotal} since start)")),
                });
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or DbException)
            {
                await error.WriteLineAsync($"appliance: cannot open the spool {config.Spool.Path} ([spool] path): {e.Message}").ConfigureAwait(false);
                return ExitCode.RuntimeFailure;
            }

            MqttClientOptions options = MqttOptionsMapping.Client(config.Mqtt, config.Node.Id, logger);
            Spool counted = spool;
            mqtt = new MqttClient(new MqttClientOptions
            {
                Broker = options.Broker,
                Protocol = options.Protocol,
                ClientId = options.ClientId,
                CredentialsFile = options.CredentialsFile,
                Tls = options.Tls,
                StatusTopic = options.StatusTopic,
                KeepAlive = options.KeepAlive,
                Logger = options.Logger,
                SpoolCounters = () => counted.Counters.ForHealth(),
            });
            sink = new SpoolSink(spool, config.Mqtt.Qos == 0 ? MqttQos.AtMostOnce : MqttQos.AtLeastOnce);
            pump = new SpoolPump(spool, mqtt);
        }

        Task mqttRunning = mqtt?.RunAsync(stop.Token) ?? Task.CompletedTask;
        Task pumpRunning = pump?.RunAsync(stop.Token) ?? Task.CompletedTask;
        DataPath dataPath;
        try
        {
            dataPath = new DataPath(config, EmbeddedGuests.Read("modbus-parser"), sink, sequences, TimeProvider.System, logger);
        }
        catch (ParserConfigurationException refused)
        {
            await error.WriteLineAsync($"appliance: {configFile}: {refused.Message}").ConfigureAwait(false);
            await StopMqttAsync(mqtt, mqttRunning, pumpRunning, spool).ConfigureAwait(false);
            return ExitCode.UsageOrConfig;
        }

        alarms = dataPath.Alarms;
        await using (dataPath.ConfigureAwait(false))
        {
            Log.DataPathRunning(logger, sequencePath);
            Task running = dataPath.RunAsync(stop.Token);
            await stop.WaitAsync().ConfigureAwait(false);
            Log.Stopping(logger, stop.Name);
            await running.ConfigureAwait(false);
        }

        await StopMqttAsync(mqtt, mqttRunning, pumpRunning, spool).ConfigureAwait(false);
        Log.Stopped(logger);
        return ExitCode.Ok;
    }

    /// <summary>Stops the client (completing what the pump handed over), then the pump, then closes the spool: what was not delivered stays spooled.</summary>
    private static async Task StopMqttAsync(MqttClient? mqtt, Task mqttRunning, Task pumpRunning, Spool? spool)
    {
        if (mqtt is not null)
        {
            await mqtt.DisposeAsync().ConfigureAwait(false);
            await mqttRunning.ConfigureAwait(false);
        }

        await pumpRunning.ConfigureAwait(false);
        if (spool is not null)
        {
            await spool.DisposeAsync().ConfigureAwait(false);
        }
    }
}
