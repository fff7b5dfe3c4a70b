using System.Runtime.InteropServices;
using Appliance.Board.Watchdog;
using Appliance.Config;
using Appliance.Gateway;
using Appliance.Gateway.Control;
using Appliance.Guests;
using Microsoft.Extensions.Logging;

namespace Appliance.Daemon;

/// <summary>
/// <c>appliance run</c> once its configuration is valid: builds the <see cref="GatewayHost"/> and runs it (every device
/// polled, every reply decoded by the parser triplets, telemetry published, every task supervised) until SIGTERM or
/// SIGINT, then shuts down cleanly (exit 0); a fault a restart cannot fix stops it with exit 1 and the reason.
/// </summary>
internal static class GatewayDaemon
{
    public static async Task<ExitCode> RunAsync(ApplianceConfig config, string configFile, string version, bool console, TextWriter output, TextWriter error)
    {
        var logger = new RecentLog(new StderrLogger(error, LogLevel.Information)); // the last lines also for the console's Log screen
        Log.Starting(logger, version, configFile);
        string mode = config.Tmr.Mode switch
        {
            TmrMode.TwoOutOfThree => "2oo3",
            TmrMode.OneOutOfTwo => "1oo2",
            _ => "1oo1",
        };
        string devices = Count(config.Devices.Count, "device");
        string groups = Count(config.Devices.Sum(device => device.Groups.Count), "poll group");
        string tags = Count(config.Devices.Sum(device => device.Groups.Sum(group => group.Tags.Count)), "tag");
        string broker = config.Mqtt.Broker.ToString();
        Log.ConfigLoaded(logger, config.Node.Id, devices, groups, tags, broker, mode);

        IReadOnlyList<string> refusedImport = RefusedImport(configFile);
        if (refusedImport.Count > 0)
        {
            Log.ConfigRefused(logger, Count(refusedImport.Count, "error"), refusedImport[0]);
        }

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
                ParserGuests = EmbeddedGuests.Parsers(),
                DriverGuests = EmbeddedGuests.Drivers(),
                ConsoleOutput = console ? output : null,
                ControlChannel = true,
                ConfigRefused = refusedImport,
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
            using PosixSignalRegistration reload = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                context.Cancel = true;
                ReloadPolicy(host, configFile, logger);
            });
            Task<GatewayStop> running = host.RunAsync(stop.Token); // every task is started when it returns
            using SystemdNotify? systemd = SystemdNotify.FromEnvironment();
            systemd?.Send($"READY=1\nSTATUS=polling {devices} to {broker}");
            await Task.WhenAny(stop.WaitAsync(), running).ConfigureAwait(false);
            if (stop.Token.IsCancellationRequested)
            {
                Log.Stopping(logger, stop.Name);
            }

            systemd?.Send("STOPPING=1");

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

    /// <summary>
    /// SIGHUP: reads the configuration file again and switches the drivers' policy mode to its <c>[drivers] mode</c>
    /// (audited, by "SIGHUP"); Breach still needs <c>allow_breach</c> as the gateway started with it. Every other
    /// setting takes effect at the next start; a file with mistakes changes nothing.
    /// </summary>
    private static void ReloadPolicy(GatewayHost host, string configFile, ILogger logger)
    {
        if (host.Drivers is not { } drivers)
        {
            Log.ReloadIgnored(logger, "there are no drivers");
            return;
        }

        ConfigLoadResult loaded = ConfigLoader.Load(configFile);
        if (!loaded.IsValid || loaded.Config.DriverErrors.Count > 0)
        {
            Log.ReloadIgnored(logger, string.Join("; ", loaded.IsValid ? loaded.Config.DriverErrors : loaded.Errors));
            return;
        }

        if (drivers.Policy.Switch(loaded.Config.Drivers.Mode, "SIGHUP (configuration reloaded)") is string refused)
        {
            Log.ReloadIgnored(logger, refused);
        }
    }

    /// <summary>The errors of a file <c>appliance config import</c> refused for this configuration, if one waits.</summary>
    private static IReadOnlyList<string> RefusedImport(string configFile)
    {
        try
        {
            return [.. File.ReadAllLines(ConfigImport.RefusedMarker(configFile)).Where(line => line.Length > 0 && !line.StartsWith('#'))];
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return [];
        }
    }

    /// <summary>"1 tag", "4 tags".</summary>
    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
