using System.Globalization;
using System.Text;
using Appliance.Bench;
using Appliance.Guests;
using Appliance.Mqtt;
using Appliance.Wasm;

namespace Appliance.Cli;

/// <summary>
/// <c>appliance bench engine</c>: the WebAssembly engine's instantiate, reset and call costs, and compute kernels.
/// <c>appliance bench gateway</c>: the parser triplet's decode latency and throughput, and the reset of a trapped instance.
/// <c>appliance bench mqtt</c>: publish throughput through the spool. The comparisons with other programs (V8,
/// mosquitto_pub) are made by the scripts in <c>tests/bench</c>; <c>mqtt-payloads</c> and <c>gateway-tags</c>
/// write the inputs those scripts hand to them.
/// </summary>
internal static class BenchVerbs
{
    private const string Usage = "appliance bench engine [--json] [--quick] [--kernels FILE.wasm [--runs N] [--n NAME=N]...] | appliance bench gateway [--json] [--quick] | appliance bench gateway-tags FILE | appliance bench mqtt --port PORT [--messages N] [--json] | appliance bench mqtt-payloads N | appliance bench drivers [--json] [--quick]";

    public static async Task<ExitCode> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var arguments = new Arguments(args, Usage);
        string command = arguments.Positional("a bench command (engine, gateway, mqtt)");
        if (command == "gateway")
        {
            return await RunGatewayAsync(arguments, output, error).ConfigureAwait(false);
        }

        if (command == "gateway-tags")
        {
            // The gateway benchmark's tag map as configure receives it, for tests/bench/gateway to configure the guest in V8.
            string file = arguments.Positional("the output FILE");
            arguments.End();
            await File.WriteAllBytesAsync(file, GatewayBenchmark.LoweredTags()).ConfigureAwait(false);
            return ExitCode.Ok;
        }

        if (command == "drivers")
        {
            bool asJson = arguments.Flag("--json");
            bool brief = arguments.Flag("--quick");
            arguments.End();
            IReadOnlyList<(string Name, double Nanoseconds)> figures = DriverBenchmark.Run(EmbeddedGuests.Read("sensor-driver-demo"), brief);
            await output.WriteLineAsync(asJson
                ? "{" + string.Join(", ", figures.Select(f => string.Create(CultureInfo.InvariantCulture, $"\"{f.Name}\": {f.Nanoseconds:F1}"))) + "}"
                : string.Join("\n", figures.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Name,-20} {f.Nanoseconds,12:F1}")))).ConfigureAwait(false);
            return ExitCode.Ok;
        }

        if (command == "mqtt")
        {
            return await RunMqttAsync(arguments, output, error).ConfigureAwait(false);
        }

        if (command == "mqtt-payloads")
        {
            // The benchmark's payloads, one per line, for mosquitto_pub -l in tests/bench/mqtt.
            int count = ParseCount(arguments.Positional("a number of payloads"));
            arguments.End();
            for (int i = 0; i < count; i++)
            {
                await output.WriteLineAsync(Encoding.UTF8.GetString(MqttBenchmark.Payload(i))).ConfigureAwait(false);
            }

            return ExitCode.Ok;
        }

        if (command != "engine")
        {
            throw new UsageException($"unknown bench command \"{command}\"; usage: {Usage}");
        }

        bool json = arguments.Flag("--json");
        bool quick = arguments.Flag("--quick");
        string? kernelsFile = arguments.Option("--kernels");
        string? runsText = arguments.Option("--runs");
        var sizes = new Dictionary<string, uint>(StringComparer.Ordinal);
        while (arguments.Option("--n") is string size)
        {
            int equals = size.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !uint.TryParse(size.AsSpan(equals + 1), NumberStyles.None, CultureInfo.InvariantCulture, out uint n))
            {
                throw new UsageException($"--n takes NAME=N with a whole number N, not \"{size}\"");
            }

            sizes[size[..equals]] = n;
        }

        arguments.End();
        int runs = quick ? 1 : 5;
        if (runsText is not null && (!int.TryParse(runsText, NumberStyles.None, CultureInfo.InvariantCulture, out runs) || runs is < 1 or > 1_000))
        {
            throw new UsageException($"--runs takes a number from 1 to 1000, not \"{runsText}\"");
        }

        if (kernelsFile is null && (sizes.Count > 0 || runsText is not null))
        {
            throw new UsageException($"--n and --runs apply to kernels: name the module with --kernels FILE.wasm; usage: {Usage}");
        }

        byte[]? kernels = kernelsFile is null ? null : await File.ReadAllBytesAsync(kernelsFile).ConfigureAwait(false);
        EngineBenchReport report;
        try
        {
            report = new EngineBenchmark(new EngineBenchOptions(quick, kernels, runs, sizes)).Run(CommandLine.VersionLine());
        }
        catch (WasmModuleException failure)
        {
            await error.WriteLineAsync($"appliance: {kernelsFile}: {failure.Message}").ConfigureAwait(false);
            return ExitCode.UsageOrConfig;
        }
        catch (TrapException trap)
        {
            await error.WriteLineAsync($"appliance: trap {trap.Code}: {trap.Message}").ConfigureAwait(false);
            return ExitCode.Trap;
        }
        catch (InvalidOperationException failure)
        {
            await error.WriteLineAsync($"appliance: bench engine: {failure.Message}").ConfigureAwait(false);
            return ExitCode.RuntimeFailure;
        }

        await output.WriteAsync(json ? report.ToJson() + "\n" : report.ToText()).ConfigureAwait(false);
        return ExitCode.Ok;
    }

    private static async Task<ExitCode> RunGatewayAsync(Arguments arguments, TextWriter output, TextWriter error)
    {
        bool json = arguments.Flag("--json");
        bool quick = arguments.Flag("--quick");
        arguments.End();
        GatewayBenchReport report;
        try
        {
            report = new GatewayBenchmark(EmbeddedGuests.Parsers(), quick).Run(CommandLine.VersionLine());
        }
        catch (InvalidOperationException failure)
        {
            await error.WriteLineAsync($"appliance: bench gateway: {failure.Message}").ConfigureAwait(false);
            return ExitCode.RuntimeFailure;
        }

        await output.WriteAsync(json ? report.ToJson() + "\n" : report.ToText()).ConfigureAwait(false);
        return ExitCode.Ok;
    }

    private static async Task<ExitCode> RunMqttAsync(Arguments arguments, TextWriter output, TextWriter error)
    {
        string portText = arguments.Option("--port") ?? throw new UsageException($"bench mqtt needs --port PORT of a broker on 127.0.0.1; usage: {Usage}");
        int messages = ParseCount(arguments.Option("--messages") ?? "20000");
        bool json = arguments.Flag("--json");
        arguments.End();
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            throw new UsageException($"--port takes a TCP port from 1 to 65535, not \"{portText}\"");
        }

        var address = new MqttBrokerEndpoint(false, "127.0.0.1", port);
        string broker = address.ToString();

        try
        {
            double qos0 = await MqttBenchmark.MessagesPerSecondAsync(address, MqttQos.AtMostOnce, messages).ConfigureAwait(false);
            double qos1 = await MqttBenchmark.MessagesPerSecondAsync(address, MqttQos.AtLeastOnce, messages).ConfigureAwait(false);
            await output.WriteLineAsync(json
                ? string.Create(CultureInfo.InvariantCulture, $"{{\"benchmark\":\"mqtt\",\"client\":\"mqttnet\",\"messages\":{messages},\"payload_bytes\":{MqttBenchmark.Payload(0).Length},\"qos0_msg_per_s\":{qos0:F0},\"qos1_msg_per_s\":{qos1:F0}}}")
                : string.Create(CultureInfo.InvariantCulture, $"through the spool to {broker}: QoS 0 {qos0:F0} msg/s, QoS 1 {qos1:F0} msg/s ({messages} messages of {MqttBenchmark.Payload(0).Length} bytes each)")).ConfigureAwait(false);
            return ExitCode.Ok;
        }
        catch (InvalidOperationException failure)
        {
            await error.WriteLineAsync($"appliance: bench mqtt: {failure.Message}").ConfigureAwait(false);
            return ExitCode.RuntimeFailure;
        }
    }

    private static int ParseCount(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int count) && count is > 0 and <= 10_000_000
            ? count
            : throw new UsageException($"a message count is a whole number from 1 to 10000000, not \"{text}\"");
}
