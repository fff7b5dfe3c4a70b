using Appliance.Config;

namespace Appliance.Cli;

/// <summary><c>appliance config example</c> and <c>appliance config check FILE</c>.</summary>
internal static class ConfigVerbs
{
    public static async Task<ExitCode> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        const string Usage = "appliance config example | appliance config check FILE";
        var arguments = new Arguments(args, Usage);
        string command = arguments.Positional("a config command (example or check)");
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
                int groups = config.Devices.Sum(device => device.Groups.Count);
                int tags = config.Devices.Sum(device => device.Groups.Sum(group => group.Tags.Count));
                await output.WriteLineAsync($"{file}: ok (node \"{config.Node.Id}\", {config.Devices.Count} devices, {groups} poll groups, {tags} tags, broker {config.Mqtt.Broker})").ConfigureAwait(false);
                return ExitCode.Ok;
            default:
                throw new UsageException($"unknown config command \"{command}\"; usage: {Usage}");
        }
    }

    /// <summary>Writes each problem as <c>FILE:LINE:COL: message</c>, then a count.</summary>
    public static async Task WriteErrorsAsync(ConfigLoadResult result, TextWriter error)
    {
        foreach (ConfigDiagnostic diagnostic in result.Errors)
        {
            await error.WriteLineAsync(diagnostic.Line > 0 ? diagnostic.ToString() : $"{diagnostic.File}: {diagnostic.Message}").ConfigureAwait(false);
        }

        await error.WriteLineAsync($"{result.Errors.Count} error{(result.Errors.Count == 1 ? string.Empty : "s")} in the configuration; nothing was started").ConfigureAwait(false);
    }
}
