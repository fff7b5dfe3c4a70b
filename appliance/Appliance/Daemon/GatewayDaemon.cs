using Appliance.Cli;
using Appliance.Config;
using Appliance.Gateway;
using Appliance.Guests;
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
        if (console)
        {
            Log.TelemetryToConsole(logger);
        }

        GatewayHost host;
        try
        {
            host = GatewayHost.Create(config, new GatewayHostOptions
            {
                ParserGuest = EmbeddedGuests.Read("modbus-parser"),
                ConsoleOutput = console ? output : null,
                Logger = logger,
            });
        }
        catch (GatewayStartException refused)
        {
            await error.WriteLineAsync($"appliance: {(refused.IsConfiguration ? configFile + ": " : "")}{refused.Message}").ConfigureAwait(false);
            return refused.IsConfiguration ? ExitCode.UsageOrConfig : ExitCode.RuntimeFailure;
        }

        GatewayStop ended;
        await using (host.ConfigureAwait(false))
        {
            Task<GatewayStop> running = host.RunAsync(stop.Token);
            await Task.WhenAny(stop.WaitAsync(), running).ConfigureAwait(false);
            if (stop.Token.IsCancellationRequested)
            {
                Log.Stopping(logger, stop.Name);
            }

            ended = await running.ConfigureAwait(false);
        }

        if (ended.Unrecoverable is string reason)
        {
            Log.StoppedOnFault(logger, reason);
            await error.WriteLineAsync($"appliance: stopped: {reason}; the spool was closed cleanly and keeps every committed message").ConfigureAwait(false);
            return ExitCode.RuntimeFailure;
        }

        Log.Stopped(logger);
        return ExitCode.Ok;
    }
}
