using Appliance.Config;
using System.Reflection;
using System.Runtime.InteropServices;
using Appliance.Daemon;

namespace Appliance.Cli;

/// <summary>The verbs of the <c>appliance</c> executable. Errors go to stderr; the exit code says what kind.</summary>
internal static class CommandLine
{
    private const string Help = """
        appliance: secure industrial protocol gateway

        usage:
          appliance run --config FILE [--console]
                                             run the gateway until SIGTERM or SIGINT; --console prints
                                             telemetry on stdout instead of publishing it over MQTT
          appliance config example           print a complete, commented configuration
          appliance config check FILE        validate a configuration file
          appliance config import FROM TO    at boot: a valid FROM replaces TO; with mistakes it is refused,
                                             its errors written to FROM.errors and TO.refused
          appliance config timesyncd FILE    FILE's [time] ntp servers as a systemd-timesyncd drop-in
          appliance wasm run FILE.wasm --invoke NAME [ARGS...] [--fuel N]
                                             run an exported function; a trap exits 3
          appliance wasm validate FILE.wasm  decode and validate a module
          appliance wasm spectest DIR        run a wast2json spec test suite
          appliance wasm fuzz-exec FILE...   print binaryen --fuzz-exec style transcripts (differential testing)
          appliance bench engine [--json] [--quick] [--kernels FILE.wasm [--runs N] [--n NAME=N]...]
                                             measure the engine: instantiate, reset, call, kernels
          appliance bench gateway [--json] [--quick]
                                             measure the parser triplet: decode latency, frames/s, reset
          appliance bench drivers [--json] [--quick]
                                             measure the driver sandbox: capability checks, a driver poll
          appliance bench mqtt --port PORT [--messages N] [--json]
                                             publish throughput through the spool to a broker on 127.0.0.1
          appliance demo [--broker mqtt://HOST:PORT] [--attack-rate R] [--fault-rate F] [--duration hh:mm:ss]
                                             the whole data path live: simulated PLC under attack, parser
                                             triplet with faults, telemetry through the broker, a dashboard
          appliance plc-sim --listen ADDRESS:PORT [--config FILE] [--attack-rate R] [--attacks KIND,...]
                            [--seed N] [--step DURATION] [--drip-delay DURATION]
                                             simulate a PLC (Modbus TCP) until SIGTERM or SIGINT
          appliance plc-sim map [--config FILE] [--seed N] [--from STEP] [--count N]
                                             list the simulated registers at given steps
          appliance board probe --config FILE
                                             what [board] configures and what each sensor reads now
          appliance status [--json] [--socket PATH | --config FILE]
                                             the running daemon's status, over its control channel
          appliance console [--socket PATH | --config FILE]
                                             the full-screen console of the running daemon (keys 1-6, q)
          appliance policy get | set MODE [--pin-file FILE] [--socket PATH | --config FILE]
                                             the drivers' policy mode; set asks for the PIN (or reads --pin-file)
          appliance pin set FILE             store the PIN (read from standard input) as an Argon2id hash
          appliance key generate DIR         write an Ed25519 key pair (PEM, as OpenSSL reads it) for signing modules
          appliance sign --key KEY --version V [--world W] [--name N] FILE.wasm
                                             write FILE.wasm.manifest and its signature FILE.wasm.sig
          appliance verify --trust PUBKEY [--world W] [--name N] FILE.wasm
                                             check a module's signature and manifest; exits 1 when refused
          appliance audit verify FILE...     check an audit log's hash chain (rotated files oldest first:
                                             FILE.2 FILE.1 FILE); exits 1 when a line was removed or edited
          appliance guest list               list the WebAssembly guests built into this binary
          appliance guest export NAME FILE   write a built-in guest to FILE
          appliance --version                print the version
          appliance --help                   print this help

        exit codes: 0 ok, 1 runtime failure, 2 usage or configuration error, 3 WebAssembly trap
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        try
        {
            ExitCode code = await DispatchAsync(args, output, error).ConfigureAwait(false);
            return (int)code;
        }
        catch (UsageException usage)
        {
            await error.WriteLineAsync($"appliance: {usage.Message}").ConfigureAwait(false);
            return (int)ExitCode.UsageOrConfig;
        }
        catch (IOException io)
        {
            await error.WriteLineAsync($"appliance: {io.Message}").ConfigureAwait(false);
            return (int)ExitCode.RuntimeFailure;
        }
    }

    /// <summary>The version line: product version, platform and the .NET runtime it runs on.</summary>
    public static string VersionLine()
    {
        string version = typeof(CommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        int plus = version.IndexOf('+', StringComparison.Ordinal);
        if (plus > 0)
        {
            version = version[..plus];
        }

        return $"appliance {version} ({RuntimeInformation.RuntimeIdentifier}, {RuntimeInformation.FrameworkDescription})";
    }

    private static async Task<ExitCode> DispatchAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0)
        {
            await error.WriteLineAsync(Help).ConfigureAwait(false);
            return ExitCode.UsageOrConfig;
        }

        string verb = args[0];
        string[] rest = args[1..];
        switch (verb)
        {
            case "--version" or "version":
                new Arguments(rest, "appliance --version").End();
                await output.WriteLineAsync(VersionLine()).ConfigureAwait(false);
                return ExitCode.Ok;
            case "--help" or "-h" or "help":
                await output.WriteLineAsync(Help).ConfigureAwait(false);
                return ExitCode.Ok;
            case "config":
                return await ConfigVerbs.RunAsync(rest, output, error).ConfigureAwait(false);
            case "wasm":
                return await WasmVerbs.RunAsync(rest, output, error).ConfigureAwait(false);
            case "bench":
                return await BenchVerbs.RunAsync(rest, output, error).ConfigureAwait(false);
            case "demo":
                return await DemoVerbs.RunAsync(rest, output, error).ConfigureAwait(false);
            case "plc-sim":
                return await PlcSimVerbs.RunAsync(rest, output, error).ConfigureAwait(false);
            case "guest":
                return await GuestVerbs.RunAsync(rest, output).ConfigureAwait(false);
            case "board":
                return await BoardVerbs.RunAsync(rest, output, error).ConfigureAwait(false);
            case "status":
                return await ControlVerbs.StatusAsync(rest, output, error).ConfigureAwait(false);
            case "console":
                return await ConsoleVerbs.RunAsync(rest).ConfigureAwait(false);
            case "policy":
                return await ControlVerbs.PolicyAsync(rest, output, error).ConfigureAwait(false);
            case "pin":
                return await ControlVerbs.PinAsync(rest, output, error).ConfigureAwait(false);
            case "key":
                return await TrustVerbs.KeyAsync(rest, output).ConfigureAwait(false);
            case "sign":
                return await TrustVerbs.SignAsync(rest, output).ConfigureAwait(false);
            case "verify":
                return await TrustVerbs.VerifyAsync(rest, output, error).ConfigureAwait(false);
            case "audit":
                return await AuditVerbs.RunAsync(rest, output, error).ConfigureAwait(false);
            case "run":
                return await RunGatewayAsync(rest, output, error).ConfigureAwait(false);
            default:
                throw new UsageException($"unknown command \"{verb}\"; run appliance --help for the list");
        }
    }

    /// <summary><c>appliance run</c>: the configuration is loaded and every problem listed here; a valid one goes to the daemon.</summary>
    private static async Task<ExitCode> RunGatewayAsync(string[] rest, TextWriter output, TextWriter error)
    {
        var arguments = new Arguments(rest, "appliance run --config FILE [--console]");
        string file = arguments.Option("--config") ?? throw new UsageException("run needs --config FILE; usage: appliance run --config FILE [--console]");
        bool console = arguments.Flag("--console");
        arguments.End();
        ConfigLoadResult loaded = ConfigLoader.Load(file);
        if (!loaded.IsValid)
        {
            await ConfigVerbs.WriteErrorsAsync(loaded, error, "; nothing was started").ConfigureAwait(false);
            return ExitCode.UsageOrConfig;
        }

        return await GatewayDaemon.RunAsync(loaded.Config, file, VersionLine(), console, output, error).ConfigureAwait(false);
    }
}
