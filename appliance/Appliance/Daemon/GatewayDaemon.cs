using System.Runtime.InteropServices;
using Appliance.Cli;
using Appliance.Config;
using Microsoft.Extensions.Logging;

namespace Appliance.Daemon;

/// <summary>
/// <c>appliance run</c>: loads and validates the configuration, runs until SIGTERM or SIGINT, and shuts
/// down cleanly. A bad configuration stops it before anything starts, with every error listed.
/// </summary>
internal static class GatewayDaemon
{
    public static async Task<ExitCode> RunAsync(string configFile, TextWriter error)
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

        using var stop = new CancellationTokenSource();
        string signal = "stop";
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true; // the daemon decides how to end, not the runtime
            signal = context.Signal.ToString();
            stop.Cancel();
        }

        using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);

        Log.NoDataPath(logger);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Log.Stopping(logger, signal);
        }

        Log.Stopped(logger);
        return ExitCode.Ok;
    }
}
