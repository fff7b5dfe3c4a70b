using Appliance.Config;
using Appliance.Daemon;

namespace Appliance.Cli;

/// <summary>
/// <c>appliance config example</c>, <c>appliance config check FILE</c>, <c>appliance config import FROM TO</c> and
/// <c>appliance config timesyncd FILE</c> (the image's boot gives systemd-timesyncd the file's time servers).
/// </summary>
internal static class ConfigVerbs
{
    public static async Task<ExitCode> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        const string Usage = "appliance config example | appliance config check FILE | appliance config import FROM TO | appliance config timesyncd FILE";
        var arguments = new Arguments(args, Usage);
        string command = arguments.Positional("a config command (example, check, import or timesyncd)");
        switch (command)
        {
            case "example":
                arguments.End();
                await output.WriteAsync(ExampleConfig.Text).ConfigureAwait(false);
                return ExitCode.Ok;
            case "check":
                string file = arguments.Positional("the configuration FILE");
                arguments.End();
                ConfigLoadResult result = ConfigLoader.Load(file);
                if (!result.IsValid)
                {
                    await WriteErrorsAsync(result, error).ConfigureAwait(false);
                    return ExitCode.UsageOrConfig;
                }

                ApplianceConfig config = result.Config;
                if (config.DriverErrors.Count > 0)
                {
                    foreach (ConfigDiagnostic diagnostic in config.DriverErrors)
                    {
                        await error.WriteLineAsync(diagnostic.ToString()).ConfigureAwait(false);
                    }

                    await error.WriteLineAsync($"{Count(config.DriverErrors.Count, "error")} in the driver sections: the drivers would not start (the data path would)").ConfigureAwait(false);
                    return ExitCode.UsageOrConfig;
                }

                int groups = config.Devices.Sum(device => device.Groups.Count);
                int tags = config.Devices.Sum(device => device.Groups.Sum(group => group.Tags.Count));
                await output.WriteLineAsync($"{file}: ok (node \"{config.Node.Id}\", {Count(config.Devices.Count, "device")}, {Count(groups, "poll group")}, {Count(tags, "tag")}, {Count(config.Drivers.Drivers.Count, "driver")}, broker {config.Mqtt.Broker})").ConfigureAwait(false);
                return ExitCode.Ok;
            case "import":
                string from = arguments.Positional("the file to import (FROM, e.g. on the boot partition)");
                string to = arguments.Positional("the active configuration (TO)");
                arguments.End();
                (ConfigImport.Outcome outcome, IReadOnlyList<string> errors) = ConfigImport.Run(from, to, DateTimeOffset.UtcNow);
                switch (outcome)
                {
                    case ConfigImport.Outcome.Missing:
                        await output.WriteLineAsync($"{from}: not there: {to} stays as it is").ConfigureAwait(false);
                        return ExitCode.Ok;
                    case ConfigImport.Outcome.Unchanged:
                        await output.WriteLineAsync($"{from}: the same as {to}: nothing to import").ConfigureAwait(false);
                        return ExitCode.Ok;
                    case ConfigImport.Outcome.Imported:
                        await output.WriteLineAsync($"{from}: valid: imported as {to}").ConfigureAwait(false);
                        return ExitCode.Ok;
                    default:
                        foreach (string line in errors)
                        {
                            await error.WriteLineAsync(line).ConfigureAwait(false);
                        }

                        await error.WriteLineAsync($"{Count(errors.Count, "error")}: {from} refused (see {from}.errors); {to} stays as it is").ConfigureAwait(false);
                        return ExitCode.UsageOrConfig;
                }

            case "timesyncd":
                string active = arguments.Positional("the configuration FILE");
                arguments.End();
                ConfigLoadResult loaded = ConfigLoader.Load(active);
                if (!loaded.IsValid)
                {
                    await WriteErrorsAsync(loaded, error, ": systemd-timesyncd keeps its own servers").ConfigureAwait(false);
                    return ExitCode.UsageOrConfig;
                }

                await output.WriteAsync(TimesyncdDropIn(loaded.Config.Time, active)).ConfigureAwait(false);
                return ExitCode.Ok;
            default:
                throw new UsageException($"unknown config command \"{command}\"; usage: {Usage}");
        }
    }

    /// <summary>Writes each problem as <c>FILE:LINE:COL: message</c>, then a count.</summary>
    public static async Task WriteErrorsAsync(ConfigLoadResult result, TextWriter error, string consequence = "")
    {
        foreach (ConfigDiagnostic diagnostic in result.Errors)
        {
            await error.WriteLineAsync(diagnostic.Line > 0 ? diagnostic.ToString() : $"{diagnostic.File}: {diagnostic.Message}").ConfigureAwait(false);
        }

        await error.WriteLineAsync($"{Count(result.Errors.Count, "error")} in the configuration{consequence}").ConfigureAwait(false);
    }

    /// <summary>
    /// A drop-in for systemd-timesyncd (<c>timesyncd.conf.d</c>) naming the configuration's time servers; without any it
    /// sets nothing, and timesyncd uses the servers DHCP names, else its fallback (Debian's pool).
    /// </summary>
    public static string TimesyncdDropIn(TimeConfig time, string source) =>
        $"# Made from [time] in {source} by \"appliance config timesyncd\" at every boot; edit that file, not this one.\n[Time]\n"
        + (time.Ntp.Count > 0 ? $"NTP={string.Join(' ', time.Ntp)}\n" : "# no ntp servers configured: the ones DHCP names, else the fallback pool\n");

    /// <summary>"1 tag", "4 tags".</summary>
    public static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
