using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Appliance.Config;
using Appliance.Trust;

namespace Appliance.Cli;

/// <summary>
/// The verbs that talk to a running daemon over its control channel (<c>[control] socket</c>): <c>appliance status</c>,
/// <c>appliance policy get | set MODE</c>; and <c>appliance pin set FILE</c>, which writes the PIN's hash.
/// </summary>
internal static class ControlVerbs
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static async Task<ExitCode> StatusAsync(string[] args, TextWriter output, TextWriter error)
    {
        const string Usage = "appliance status [--json] [--socket PATH | --config FILE]";
        var arguments = new Arguments(args, Usage);
        bool json = arguments.Flag("--json");
        string socket = SocketPath(arguments);
        arguments.End();
        using JsonDocument answer = await AskAsync(socket, "{\"op\":\"status\"}").ConfigureAwait(false);
        if (!Succeeded(answer, out string problem))
        {
            await error.WriteLineAsync("appliance: " + problem).ConfigureAwait(false);
            return ExitCode.RuntimeFailure;
        }

        await output.WriteLineAsync(json ? answer.RootElement.GetRawText() : Summary(answer.RootElement)).ConfigureAwait(false);
        return ExitCode.Ok;
    }

    public static async Task<ExitCode> PolicyAsync(string[] args, TextWriter output, TextWriter error)
    {
        const string Usage = "appliance policy get | appliance policy set MODE [--pin-file FILE] [--socket PATH | --config FILE]";
        var arguments = new Arguments(args, Usage);
        string command = arguments.Positional("a policy command (get or set)");
        string? pinFile = arguments.Option("--pin-file");
        string socket = SocketPath(arguments);
        string request;
        if (command == "get")
        {
            arguments.End();
            request = "{\"op\":\"policy-get\"}";
        }
        else if (command == "set")
        {
            string mode = arguments.Positional("the MODE (data-diode, secure-channel, lockdown, breach)");
            arguments.End();
            string pin = pinFile is not null ? File.ReadAllText(pinFile).Trim() : await ReadPinAsync(error).ConfigureAwait(false);
            request = JsonSerializer.Serialize(new PolicyRequest("policy-set", mode, pin), ControlJson.Default.PolicyRequest);
        }
        else
        {
            throw new UsageException($"unknown policy command \"{command}\"; usage: {Usage}");
        }

        using JsonDocument answer = await AskAsync(socket, request).ConfigureAwait(false);
        if (!Succeeded(answer, out string problem))
        {
            await error.WriteLineAsync("appliance: " + problem).ConfigureAwait(false);
            return ExitCode.RuntimeFailure;
        }

        JsonElement root = answer.RootElement;
        await output.WriteLineAsync(root.TryGetProperty("before", out JsonElement before)
            ? $"policy mode {root.GetProperty("mode").GetString()} (was {before.GetString()})"
            : $"policy mode {root.GetProperty("mode").GetString()}{(root.GetProperty("breach_allowed").GetBoolean() ? " (breach allowed by the configuration)" : "")}").ConfigureAwait(false);
        return ExitCode.Ok;
    }

    public static async Task<ExitCode> PinAsync(string[] args, TextWriter output, TextWriter error)
    {
        const string Usage = "appliance pin set FILE   (the PIN on standard input, 4 to 128 characters)";
        var arguments = new Arguments(args, Usage);
        string command = arguments.Positional("a pin command (set)");
        if (command != "set")
        {
            throw new UsageException($"unknown pin command \"{command}\"; usage: {Usage}");
        }

        string file = arguments.Positional("the PIN FILE");
        arguments.End();
        string pin = await ReadPinAsync(error).ConfigureAwait(false);
        if (pin.Length is < 4 or > 128)
        {
            throw new UsageException($"a PIN has 4 to 128 characters; usage: {Usage}");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".");
        await File.WriteAllTextAsync(file, PinGuard.Hash(pin) + "\n").ConfigureAwait(false);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        await output.WriteLineAsync($"{file}: the PIN's Argon2id hash (mode 0600); name it in [control] pin_file").ConfigureAwait(false);
        return ExitCode.Ok;
    }

    internal static string SocketPath(Arguments arguments)
    {
        string? socket = arguments.Option("--socket");
        string? config = arguments.Option("--config");
        if (socket is not null)
        {
            return socket;
        }

        if (config is null)
        {
            return ControlConfig.RecommendedSocket;
        }

        ConfigLoadResult loaded = ConfigLoader.Load(config);
        return !loaded.IsValid ? throw new UsageException($"{config} has errors; run appliance config check {config}")
            : loaded.Config.Control.Socket.Length > 0 ? loaded.Config.Control.Socket
            : throw new UsageException($"{config} has no control channel: set [control] socket");
    }

    private static async Task<JsonDocument> AskAsync(string path, string request)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), timeout.Token).ConfigureAwait(false);
            await socket.SendAsync(Encoding.UTF8.GetBytes(request + "\n"), SocketFlags.None, timeout.Token).ConfigureAwait(false);
            using var received = new MemoryStream();
            byte[] buffer = new byte[16384];
            while (true)
            {
                int read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token).ConfigureAwait(false);
                int newline = Array.IndexOf(buffer, (byte)'\n', 0, read);
                received.Write(buffer, 0, newline >= 0 ? newline : read);
                if (newline >= 0 || read == 0)
                {
                    break;
                }
            }

            return JsonDocument.Parse(received.ToArray());
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            throw new IOException($"the appliance's control channel {path} does not answer ({e.Message}); is appliance run up, and may you use its socket?", e);
        }
    }

    private static bool Succeeded(JsonDocument answer, out string problem)
    {
        problem = answer.RootElement.TryGetProperty("error", out JsonElement error) ? error.GetString() ?? "" : "";
        return answer.RootElement.TryGetProperty("ok", out JsonElement ok) && ok.ValueKind == JsonValueKind.True;
    }

    private static async Task<string> ReadPinAsync(TextWriter error)
    {
        if (!System.Console.IsInputRedirected)
        {
            await error.WriteAsync("PIN: ").ConfigureAwait(false);
            var pin = new StringBuilder();
            while (true)
            {
                ConsoleKeyInfo key = System.Console.ReadKey(intercept: true); // not echoed
                if (key.Key == ConsoleKey.Enter)
                {
                    await error.WriteLineAsync().ConfigureAwait(false);
                    return pin.ToString();
                }

                if (key.Key == ConsoleKey.Backspace && pin.Length > 0)
                {
                    pin.Length--;
                }
                else if (!char.IsControl(key.KeyChar))
                {
                    pin.Append(key.KeyChar);
                }
            }
        }

        return (await System.Console.In.ReadLineAsync().ConfigureAwait(false) ?? string.Empty).Trim();
    }

    /// <summary>The readable status: the node, the policy, each device and group, the lanes, the drivers, MQTT and the spool.</summary>
    private static string Summary(JsonElement answer)
    {
        JsonElement status = answer.GetProperty("status");
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"node {status.GetProperty("node").GetString()}: {status.GetProperty("state").GetString()}, {status.GetProperty("alarms").GetInt64()} alarms");
        if (status.TryGetProperty("policy", out JsonElement policy))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"policy {policy.GetProperty("mode").GetString()}{(policy.TryGetProperty("warning", out JsonElement warning) ? "  !! " + warning.GetString() : "")}");
        }

        foreach (JsonProperty device in status.GetProperty("devices").EnumerateObject())
        {
            JsonElement transport = device.Value.GetProperty("transport");
            text.AppendLine(CultureInfo.InvariantCulture, $"device {device.Name}: {transport.GetProperty("ok").GetInt64()}/{transport.GetProperty("transactions").GetInt64()} transactions ok, {transport.GetProperty("timeouts").GetInt64()} timeouts, {transport.GetProperty("reconnects").GetInt64()} reconnects");
            foreach (JsonProperty group in device.Value.GetProperty("groups").EnumerateObject())
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  group {group.Name}: {group.Value.GetProperty("good_polls").GetInt64()} good, {group.Value.GetProperty("bad_polls").GetInt64()} bad polls, last seq {group.Value.GetProperty("last_seq").GetInt64()}");
            }
        }

        if (status.TryGetProperty("drivers", out JsonElement drivers))
        {
            foreach (JsonProperty driver in drivers.EnumerateObject())
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"driver {driver.Name}: {driver.Value.GetProperty("polls").GetInt64()} polls, {driver.Value.GetProperty("faults").GetInt64()} stopped, {driver.Value.GetProperty("denied").GetInt64()} calls denied, {driver.Value.GetProperty("bytes_sent").GetInt64()} bytes sent");
            }
        }

        foreach (JsonElement lane in answer.GetProperty("lanes_total").GetProperty("lanes").EnumerateArray())
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"lane {lane.GetProperty("lane").GetString()}: {lane.GetProperty("agreements").GetInt64()}/{lane.GetProperty("frames").GetInt64()} agreed, {lane.GetProperty("disagreements").GetInt64()} disagreed, {lane.GetProperty("traps").GetInt64()} traps");
        }

        text.AppendLine(answer.GetProperty("health") is { ValueKind: JsonValueKind.Object } health
            ? string.Create(CultureInfo.InvariantCulture, $"mqtt {health.GetProperty("status").GetString()}: {health.GetProperty("published").GetInt64()} published, {health.GetProperty("queued").GetInt64()} queued in the spool, {health.GetProperty("reconnects").GetInt64()} reconnects")
            : "mqtt: none (telemetry to the console)");

        return text.ToString().TrimEnd();
    }
}

/// <summary>A policy-set request, serialized without reflection (NativeAOT).</summary>
internal sealed record PolicyRequest(
    [property: System.Text.Json.Serialization.JsonPropertyName("op")] string Op,
    [property: System.Text.Json.Serialization.JsonPropertyName("mode")] string Mode,
    [property: System.Text.Json.Serialization.JsonPropertyName("pin")] string Pin);

[System.Text.Json.Serialization.JsonSerializable(typeof(PolicyRequest))]
internal sealed partial class ControlJson : System.Text.Json.Serialization.JsonSerializerContext;
