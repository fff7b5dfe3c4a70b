using Appliance.Cli;
using Appliance.Config;
using Appliance.Gateway;
using Appliance.Gateway.Telemetry;
using Appliance.Guests;
using Appliance.Mqtt;
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
        ITelemetrySink sink;
        if (console)
        {
            sink = new ConsoleSink(output);
            Log.TelemetryToConsole(logger);
        }
        else
        {
            mqtt = new MqttClient(MqttClientOptions.FromConfig(config.Mqtt, config.Node.Id, logger));
            sink = new MqttSink(mqtt, config.Mqtt.Qos == 0 ? MqttQos.AtMostOnce : MqttQos.AtLeastOnce);
        }

        Task mqttRunning = mqtt?.RunAsync(stop.Token) ?? Task.CompletedTask;
        DataPath dataPath;
        try
        {
            dataPath = new DataPath(config, EmbeddedGuests.Read("modbus-parser"), sink, sequences, TimeProvider.System, logger);
        }
        catch (ParserConfigurationException refused)
        {
            await error.WriteLineAsync($"appliance: {configFile}: {refused.Message}").ConfigureAwait(false);
            return ExitCode.UsageOrConfig;
        }

        await using (dataPath.ConfigureAwait(false))
        {
            Log.DataPathRunning(logger, sequencePath);
            Task running = dataPath.RunAsync(stop.Token);
            await stop.WaitAsync().ConfigureAwait(false);
            Log.Stopping(logger, stop.Name);
            await running.ConfigureAwait(false);
        }

        if (mqtt is not null)
        {
            await mqtt.DisposeAsync().ConfigureAwait(false);
            await mqttRunning.ConfigureAwait(false);
        }

        Log.Stopped(logger);
        return ExitCode.Ok;
    }
}
