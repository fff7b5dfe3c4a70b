using System.Globalization;
using Appliance.Config;
using Appliance.Daemon;
using Appliance.Drivers.Policy;
using Appliance.Demo;
using Appliance.Gateway;
using Appliance.Guests;
using Appliance.Modbus.Simulator;
using Appliance.Mqtt;
using Microsoft.Extensions.Logging;

namespace Appliance.Cli;

/// <summary>
/// <c>appliance demo</c>: the whole data path live on one machine. A simulated PLC with attacks switched on, the
/// shipped example configuration pointed at it, the parser triplet with faults injected, telemetry published
/// to the broker and read back from it, and a dashboard every second.
/// </summary>
internal static class DemoVerbs
{
    private const string Usage = "appliance demo [--broker mqtt://HOST:PORT] [--attack-rate R] [--fault-rate F] [--duration DURATION] [--no-driver]";

    /// <summary>How long the demo stays in each policy mode before switching to the next.</summary>
    private static readonly TimeSpan ModeSpell = TimeSpan.FromSeconds(15);

    public static async Task<ExitCode> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var arguments = new Arguments(args, Usage);
        string broker = arguments.Option("--broker") ?? "mqtt://127.0.0.1:1883";
        double attackRate = Rate(arguments.Option("--attack-rate") ?? "0.2", "--attack-rate");
        double faultRate = Rate(arguments.Option("--fault-rate") ?? "0.05", "--fault-rate");
        string? durationText = arguments.Option("--duration");
        bool withDriver = !arguments.Flag("--no-driver");
        arguments.End();
        TimeSpan? duration = null;
        if (durationText is not null)
        {
            duration = TimeSpan.TryParse(durationText, CultureInfo.InvariantCulture, out TimeSpan parsed) && parsed > TimeSpan.Zero
                ? parsed
                : throw new UsageException($"--duration takes hh:mm:ss, not \"{durationText}\"; usage: {Usage}");
        }

        if (!BrokerAddress.TryParse(broker, out BrokerAddress? brokerAddress, out string brokerProblem))
        {
            throw new UsageException($"--broker \"{broker}\" {brokerProblem}; usage: {Usage}");
        }

        string directory = Directory.CreateTempSubdirectory("appliance-demo-").FullName;
        await using var simulator = new PlcSimulator(new PlcSimulatorOptions { AttackRate = attackRate, Seed = Environment.TickCount, DripDelay = TimeSpan.FromMilliseconds(100) });
        simulator.Start();
        ApplianceConfig config = DemoConfig(simulator.Port, brokerAddress, directory, faultRate, withDriver);
        var logger = new StderrLogger(error, LogLevel.Warning);
        Dashboard? dashboard = null;
        GatewayHost host = GatewayHost.Create(config, new GatewayHostOptions
        {
            ParserGuests = EmbeddedGuests.Parsers(),
            DriverGuests = EmbeddedGuests.Drivers(),
            Logger = logger,
            MessageReceived = message =>
            {
                dashboard?.Received(message.Topic, message.Payload.Span);
                return ValueTask.CompletedTask;
            },
        });
        await using (host.ConfigureAwait(false))
        {
            using var stop = new StopSignal();
            dashboard = new Dashboard(simulator, host.DataPath, host.Drivers, broker);
            await output.WriteLineAsync($"appliance demo: PLC simulator on {simulator.EndPoint} (attack rate {attackRate:P0}), broker {broker}, faults on {faultRate:P0} of frames; Ctrl-C stops").ConfigureAwait(false);
            string telemetryFilter = config.Telemetry.TopicFor(config.Node.Id, "+", "+");
            _ = host.Mqtt!.SubscribeAsync([new MqttSubscription(telemetryFilter)], stop.Token);
            Task<GatewayStop> running = host.RunAsync(stop.Token);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Task ended = stop.WaitAsync(duration);
            while (!ended.IsCompleted && !running.IsCompleted)
            {
                await Task.WhenAny(ended, running, Task.Delay(TimeSpan.FromSeconds(1))).ConfigureAwait(false);
                if (host.Drivers is { } drivers)
                {
                    // Data Diode, then Lockdown, and so on: the modes that keep every packet on this machine. Secure
                    // Channel and Breach would send the attacker's packets to 10.0.0.50 and beyond; tests/Appliance.Tests/
                    // Drivers/NetnsExfiltrationTests shows them inside a network namespace of its own.
                    PolicyMode due = (int)(clock.Elapsed / ModeSpell) % 2 == 0 ? PolicyMode.DataDiode : PolicyMode.Lockdown;
                    if (drivers.Policy.Mode != due)
                    {
                        _ = drivers.Policy.Switch(due, "demo");
                    }
                }

                await output.WriteAsync(dashboard.Render(clock.Elapsed)).ConfigureAwait(false);
                await output.FlushAsync().ConfigureAwait(false);
            }

            GatewayStop stopped = await running.ConfigureAwait(false);
            if (stopped.Unrecoverable is string reason)
            {
                await error.WriteLineAsync("appliance demo: stopped: " + reason).ConfigureAwait(false);
                return ExitCode.RuntimeFailure;
            }
        }

        Directory.Delete(directory, recursive: true);
        return ExitCode.Ok;
    }

    /// <summary>
    /// The shipped example configuration, pointed at the simulator and the broker, polled four times a second, with the
    /// spool in the demo's directory and faults injected: every other setting (MQTT protocol, TLS, credentials,
    /// keep-alive, QoS, limits) is the example's, exactly as <c>appliance run</c> would use it.
    /// </summary>
    private static ApplianceConfig DemoConfig(int plcPort, BrokerAddress broker, string directory, double faultRate, bool withDriver)
    {
        ConfigLoadResult loaded = ConfigLoader.Parse(ExampleConfig.Utf8, "example.toml", Path.GetTempPath());
        ApplianceConfig example = loaded.IsValid ? loaded.Config : throw new InvalidOperationException("the built-in example configuration is invalid: " + string.Join("; ", loaded.Errors));
        return example with
        {
            Devices = [.. example.Devices.Select(device => device with
            {
                Host = "127.0.0.1",
                Port = plcPort,
                RequestTimeout = TimeSpan.FromMilliseconds(300),
                Groups = [.. device.Groups.Select(group => group with { Interval = TimeSpan.FromMilliseconds(250) })],
            })],
            Mqtt = example.Mqtt with { Broker = broker },
            Spool = example.Spool with { Path = Path.Combine(directory, "spool.db") },
            Tmr = example.Tmr with { FaultInjection = new FaultInjectionConfig(faultRate / 2, faultRate / 2, Seed: 0) },
            Drivers = withDriver ? AttackerDriver(directory) : DriversConfig.None,
        };
    }

    /// <summary>
    /// The hostile vendor driver of the threat scenario, reading a pressure file in the demo's directory and trying
    /// every way to send it out, under Data Diode (no allowlist: every packet stays on this machine).
    /// </summary>
    private static DriversConfig AttackerDriver(string directory)
    {
        string root = Path.Combine(directory, "sensors");
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "pressure"), "182.4\n");
        var driver = new DriverConfig("rig-7", "sensor-driver-attacker", root, TimeSpan.FromSeconds(1), 50_000_000, 32, 64 << 10, 4, 64 << 10, 256 << 10);
        return DriversConfig.None with { AuditLog = Path.Combine(directory, "audit.log"), ModeState = Path.Combine(directory, "policy-mode"), Drivers = [driver] };
    }

    private static double Rate(string text, string option) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double rate) && rate is >= 0 and <= 1
            ? rate
            : throw new UsageException($"{option} takes a fraction from 0 to 1, not \"{text}\"; usage: {Usage}");
}
