using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Appliance.Config;
using Appliance.Daemon;
using Appliance.Gateway.Composition;
using Appliance.Modbus;
using Appliance.Modbus.Simulator;
using Microsoft.Extensions.Logging;

namespace Appliance.Cli;

/// <summary>
/// <c>appliance plc-sim</c>: a simulated PLC (Modbus TCP server) for tests and demonstrations, with an
/// attack mode; and <c>appliance plc-sim map</c>, which lists the registers it serves at given steps.
/// </summary>
internal static class PlcSimVerbs
{
    private const string ServeUsage =
        "appliance plc-sim --listen ADDRESS:PORT [--config FILE] [--attack-rate R] [--attacks KIND,...] [--seed N] [--step DURATION] [--drip-delay DURATION]";

    private const string MapUsage = "appliance plc-sim map [--config FILE] [--seed N] [--from STEP] [--count N]";

    public static async Task<ExitCode> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length > 0 && args[0] == "map")
        {
            return await MapAsync(new Arguments(args[1..], MapUsage), output, error).ConfigureAwait(false);
        }

        return await ServeAsync(new Arguments(args, ServeUsage), output, error).ConfigureAwait(false);
    }

    private static async Task<ExitCode> ServeAsync(Arguments arguments, TextWriter output, TextWriter error)
    {
        string listen = arguments.Option("--listen")
            ?? throw new UsageException($"plc-sim needs --listen ADDRESS:PORT, for example --listen 127.0.0.1:5020; usage: {ServeUsage}");
        string? configFile = arguments.Option("--config");
        double rate = ParseRate(arguments.Option("--attack-rate"));
        ImmutableArray<AttackKind> attacks = ParseAttacks(arguments.Option("--attacks"));
        int seed = ParseInt(arguments.Option("--seed"), "--seed", 1, int.MinValue, int.MaxValue);
        TimeSpan step = ParseDuration(arguments.Option("--step"), "--step", TimeSpan.FromMilliseconds(100));
        TimeSpan drip = ParseDuration(arguments.Option("--drip-delay"), "--drip-delay", TimeSpan.FromMilliseconds(150));
        arguments.End();
        IPEndPoint endpoint = ParseListen(listen);

        SimulatorRegisterMap? map = await LoadMapAsync(configFile, seed, error).ConfigureAwait(false);
        if (map is null)
        {
            return ExitCode.UsageOrConfig;
        }

        var logger = new StderrLogger(error, LogLevel.Information);
        var options = new PlcSimulatorOptions
        {
            Listen = endpoint,
            Map = map,
            Step = step,
            AttackRate = rate,
            Attacks = attacks,
            Seed = seed,
            DripDelay = drip,
        };
        await using var simulator = new PlcSimulator(options, logger);
        try
        {
            simulator.Start();
        }
        catch (SocketException failure)
        {
            await error.WriteLineAsync($"appliance: plc-sim cannot listen on {listen}: {failure.Message}").ConfigureAwait(false);
            return ExitCode.RuntimeFailure;
        }

        using (var stop = new StopSignal())
        {
            await stop.WaitAsync().ConfigureAwait(false);
        }

        await simulator.StopAsync().ConfigureAwait(false);
        await output.WriteAsync(Summary(simulator)).ConfigureAwait(false);
        return ExitCode.Ok;
    }

    /// <summary>Lists every tag's raw value and registers at steps <c>--from</c> to <c>--from + --count − 1</c>, tab-separated.</summary>
    private static async Task<ExitCode> MapAsync(Arguments arguments, TextWriter output, TextWriter error)
    {
        string? configFile = arguments.Option("--config");
        int seed = ParseInt(arguments.Option("--seed"), "--seed", 1, int.MinValue, int.MaxValue);
        long from = ParseInt(arguments.Option("--from"), "--from", 0, 0, int.MaxValue);
        int count = ParseInt(arguments.Option("--count"), "--count", 1, 1, 100_000);
        arguments.End();
        SimulatorRegisterMap? map = await LoadMapAsync(configFile, seed, error).ConfigureAwait(false);
        if (map is null)
        {
            return ExitCode.UsageOrConfig;
        }

        var text = new StringBuilder();
        text.Append("# step\tarea\taddress\tname\ttype\torder\tvalue\tregisters\n");
        Span<byte> registers = stackalloc byte[250];
        for (long step = from; step < from + count; step++)
        {
            foreach (SimulatedTag tag in map.Tags)
            {
                tag.WriteRegisters(step, registers);
                string order = tag.Type == SimulatedValueType.Bit ? $"bit{tag.Bit}" : tag.OrderName;
                text.Append(CultureInfo.InvariantCulture, $"{step}\t{(tag.Area == ReadFunction.ReadInputRegisters ? "input" : "holding")}\t{tag.Address}\t{tag.Name}\t{tag.Type.ToString().ToLowerInvariant()}\t{order}\t{tag.TextAt(step)}\t");
                for (int i = 0; i < tag.RegisterCount; i++)
                {
                    text.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? string.Empty : " ")}{registers[2 * i]:X2}{registers[(2 * i) + 1]:X2}");
                }

                text.Append('\n');
            }
        }

        await output.WriteAsync(text.ToString()).ConfigureAwait(false);
        return ExitCode.Ok;
    }

    private static string Summary(PlcSimulator simulator)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"plc-sim: {simulator.Requests} requests on {ConfigVerbs.Count((int)simulator.Connections, "connection")}: {simulator.ValidReplies} valid replies ({simulator.ExceptionReplies} exceptions), {simulator.TotalAttacks} attacks\n");
        foreach (AttackKind kind in AttackCatalogue.All)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {AttackCatalogue.Name(kind),-26} {simulator.AttacksSent(kind)}\n");
        }

        return text.ToString();
    }

    private static async Task<SimulatorRegisterMap?> LoadMapAsync(string? configFile, int seed, TextWriter error)
    {
        if (configFile is null)
        {
            return SimulatorRegisterMap.CreateDefault(seed);
        }

        ConfigLoadResult loaded = ConfigLoader.Load(configFile);
        if (!loaded.IsValid)
        {
            await ConfigVerbs.WriteErrorsAsync(loaded, error, "; nothing was started").ConfigureAwait(false);
            return null;
        }

        return SimulatorMapping.RegisterMap(loaded.Config, seed);
    }

    /// <summary>
    /// <c>ADDRESS:PORT</c> with an IP address: dotted-quad IPv4, or IPv6 in brackets (<c>[::1]:5020</c>).
    /// Port 0 listens on any free port (the log line says which).
    /// </summary>
    private static IPEndPoint ParseListen(string text)
    {
        int colon = text.LastIndexOf(':');
        string host = colon > 0 ? text[..colon] : string.Empty;
        string port = colon > 0 ? text[(colon + 1)..] : string.Empty;
        bool bracketed = host.StartsWith('[') && host.EndsWith(']');
        if (bracketed)
        {
            host = host[1..^1];
        }

        if (host.Length == 0 || port.Length == 0 || (!bracketed && host.Contains(':', StringComparison.Ordinal)))
        {
            throw new UsageException($"--listen \"{text}\" is not ADDRESS:PORT; write for example 127.0.0.1:5020, or [::1]:5020 for IPv6");
        }

        if (!IPAddress.TryParse(host, out IPAddress? address)
            || (address.AddressFamily == AddressFamily.InterNetwork && address.ToString() != host)
            || (address.AddressFamily == AddressFamily.InterNetworkV6 && !bracketed))
        {
            throw new UsageException($"--listen \"{text}\": \"{host}\" is not an IP address; write a dotted-quad IPv4 address like 127.0.0.1, or an IPv6 address in brackets");
        }

        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number > 65_535)
        {
            throw new UsageException($"--listen \"{text}\": port \"{port}\" is not a number from 0 to 65535");
        }

        return new IPEndPoint(address, number);
    }

    private static double ParseRate(string? text)
    {
        if (text is null)
        {
            return 0;
        }

        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double rate) || rate > 1)
        {
            throw new UsageException($"--attack-rate \"{text}\" must be a fraction from 0 to 1, like 0.1 (one reply in ten)");
        }

        return rate;
    }

    private static ImmutableArray<AttackKind> ParseAttacks(string? text)
    {
        if (text is null)
        {
            return AttackCatalogue.All;
        }

        ImmutableArray<AttackKind>.Builder kinds = ImmutableArray.CreateBuilder<AttackKind>();
        foreach (string name in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!AttackCatalogue.TryParse(name, out AttackKind kind))
            {
                string known = string.Join(", ", AttackCatalogue.All.Select(AttackCatalogue.Name));
                throw new UsageException($"--attacks: \"{name}\" is not an attack; the kinds are {known}");
            }

            kinds.Add(kind);
        }

        return kinds.ToImmutable();
    }

    private static int ParseInt(string? text, string option, int fallback, int min, int max)
    {
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
        {
            throw new UsageException($"{option} \"{text}\" must be a whole number from {min} to {max}");
        }

        return value;
    }

    /// <summary>A duration as the configuration writes it: a number and a unit, "100ms", "1.5s", "2m", "1h".</summary>
    private static TimeSpan ParseDuration(string? text, string option, TimeSpan fallback)
    {
        if (text is null)
        {
            return fallback;
        }

        (string Suffix, double Milliseconds)[] units = [("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000)];
        foreach ((string suffix, double milliseconds) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(text[..^suffix.Length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double amount)
                && amount * milliseconds is >= 1 and <= 86_400_000)
            {
                return TimeSpan.FromMilliseconds(amount * milliseconds);
            }
        }

        throw new UsageException($"{option} \"{text}\" is not a duration from 1ms to 24h; write a number and a unit, like \"100ms\", \"1s\" or \"2m\"");
    }
}
