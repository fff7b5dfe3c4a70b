using System.Buffers;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Threading.Channels;
using Appliance.Config;
using Appliance.Drivers.Audit;
using Appliance.Drivers.Policy;
using Appliance.Trust;
using Microsoft.Extensions.Logging;

namespace Appliance.Gateway.Control;

/// <summary>
/// The control channel: a Unix socket (root and the console group only: root:GROUP, mode 0660) on which the console
/// and <c>appliance status</c> / <c>policy set</c> send one JSON request per line and get one JSON answer per line:
/// <c>{"op":"status"}</c>, <c>{"op":"subscribe"}</c> (then a status line at every status change),
/// <c>{"op":"policy-get"}</c>, <c>{"op":"policy-set","mode":"lockdown","pin":"…"}</c>,
/// <c>{"op":"faults","on":false,"lane":2}</c> (when the configuration allows it; <c>lane</c>, 1-based, sends every fault
/// to that lane, 0 to a random one), and for the console the read-only <c>{"op":"values"}</c> (the last stored message of
/// every stream, and the relays) and <c>{"op":"log","lines":100}</c> (the recent log lines and the tail of the audit
/// log). A request longer than 4 KiB, malformed or
/// unknown gets <c>{"ok":false,"error":…}</c>; nothing a client sends reaches the data path except through these
/// operations. Each client has its own task; a client that does not read its answers or its subscription within
/// <see cref="WriteTimeout"/> is dropped, so a slow or dead client never blocks the daemon. At most
/// <see cref="MaxClients"/> at once.
/// </summary>
public sealed partial class ControlServer : IDisposable
{
    public const int MaxRequestBytes = 4096;
    public const int MaxClients = 16;
    public static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The most log lines (and audit entries) one <c>log</c> answer carries.</summary>
    public const int MaxLogLines = 200;

    /// <summary>How much of the audit log's end a <c>log</c> answer reads.</summary>
    public const int AuditTailBytes = 64 * 1024;

    /// <summary>The largest <c>values</c> answer: streams past it are left out and the answer says <c>"truncated":true</c>.</summary>
    public const int MaxValuesBytes = 512 * 1024;

    private const string Ops = "status, subscribe, values, log, policy-get, policy-set, relay-set, alarm-silence or faults";

    private readonly ControlConfig _config;
    private readonly GatewayHost _host;
    private readonly ILogger _logger;
    private readonly RecentLog? _recent;
    private readonly Lock _lock = new();
    private readonly List<Channel<byte[]>> _subscribers = [];
    private int _clients;
    private Socket? _listener;
    private PinGuard? _pins;

    /// <param name="recent">The daemon's recent log lines, for the <c>log</c> operation; null: that answer has none.</param>
    public ControlServer(ControlConfig config, GatewayHost host, ILogger logger, RecentLog? recent = null)
    {
        _config = config;
        _host = host;
        _logger = logger;
        _recent = recent;
    }

    public string Path => _config.Socket;

    /// <summary>Accepts clients until cancelled. The socket is made afresh (a stale one from a killed run is removed).</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        Listen();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                Socket client = await _listener!.AcceptAsync(stop).ConfigureAwait(false);
                if (Interlocked.Increment(ref _clients) > MaxClients)
                {
                    Interlocked.Decrement(ref _clients);
                    _ = RefuseAsync(client);
                    continue;
                }

                _ = Task.Run(() => ServeAsync(client, stop), CancellationToken.None);
            }
        }
        finally
        {
            Dispose();
        }
    }

    /// <summary>Hands a status message to every subscriber; a subscriber whose queue is full is dropped.</summary>
    public void Publish(ReadOnlyMemory<byte> status)
    {
        byte[] line = Line(writer =>
        {
            writer.WriteBoolean("ok"u8, true);
            writer.WritePropertyName("status"u8);
            using JsonDocument parsed = JsonDocument.Parse(status);
            parsed.RootElement.WriteTo(writer);
        });
        lock (_lock)
        {
            foreach (Channel<byte[]> subscriber in _subscribers.ToArray())
            {
                if (!subscriber.Writer.TryWrite(line))
                {
                    subscriber.Writer.TryComplete(new TimeoutException("the subscriber does not read"));
                    _subscribers.Remove(subscriber);
                }
            }
        }
    }

    public void Dispose()
    {
        _listener?.Dispose();
        _listener = null;
    }

    private void Listen()
    {
        string directory = System.IO.Path.GetDirectoryName(_config.Socket) ?? "/";
        Directory.CreateDirectory(directory);
        if (File.Exists(_config.Socket))
        {
            using (var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
            {
                try
                {
                    probe.Connect(new UnixDomainSocketEndPoint(_config.Socket));
                    throw new IOException($"another appliance answers on the control socket {_config.Socket} ([control] socket); it is left alone");
                }
                catch (SocketException)
                {
                    // nobody answers: a socket left by a run that lost power
                }
            }

            File.Delete(_config.Socket);
        }

        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(_config.Socket));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_config.Socket, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
        }

        if (GroupId(_config.Group) is int gid)
        {
            _ = Chown(_config.Socket, 0, gid);
        }

        listener.Listen(32);
        _listener = listener;
        Log.ControlListening(_logger, _config.Socket);
    }

    private static async Task RefuseAsync(Socket client)
    {
        using (client)
        {
            using var timeout = new CancellationTokenSource(WriteTimeout);
            try
            {
                await client.SendAsync(Error("too many clients; try again later"), SocketFlags.None, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
            }
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken stop)
    {
        string who = Peer(client);
        Channel<byte[]>? subscription = null;
        try
        {
            using (client)
            {
                byte[] buffer = new byte[MaxRequestBytes + 1];
                int filled = 0;
                while (!stop.IsCancellationRequested)
                {
                    int newline = Array.IndexOf(buffer, (byte)'\n', 0, filled);
                    if (newline < 0)
                    {
                        if (filled > MaxRequestBytes)
                        {
                            await SendAsync(client, Error($"a request is one line of at most {MaxRequestBytes} bytes"), stop).ConfigureAwait(false);
                            return;
                        }

                        using var idle = CancellationTokenSource.CreateLinkedTokenSource(stop);
                        idle.CancelAfter(IdleTimeout);
                        int read = await client.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, idle.Token).ConfigureAwait(false);
                        if (read == 0)
                        {
                            return;
                        }

                        filled += read;
                        continue;
                    }

                    byte[] request = buffer[..newline];
                    Array.Copy(buffer, newline + 1, buffer, 0, filled - newline - 1);
                    filled -= newline + 1;
                    (byte[] answer, bool subscribe) = Handle(request, who);
                    await SendAsync(client, answer, stop).ConfigureAwait(false);
                    if (subscribe && subscription is null)
                    {
                        subscription = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(4) { FullMode = BoundedChannelFullMode.Wait });
                        lock (_lock)
                        {
                            _subscribers.Add(subscription);
                        }

                        await foreach (byte[] status in subscription.Reader.ReadAllAsync(stop).ConfigureAwait(false))
                        {
                            await SendAsync(client, status, stop).ConfigureAwait(false);
                        }

                        return;
                    }
                }
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or TimeoutException or ChannelClosedException or IOException)
        {
            // the client went away, stalled or idled: its task ends, nothing else is touched
        }
        finally
        {
            if (subscription is not null)
            {
                lock (_lock)
                {
                    _subscribers.Remove(subscription);
                }
            }

            Interlocked.Decrement(ref _clients);
        }
    }

    private static async Task SendAsync(Socket client, byte[] line, CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(WriteTimeout);
        int sent = 0;
        while (sent < line.Length)
        {
            sent += await client.SendAsync(line.AsMemory(sent), SocketFlags.None, timeout.Token).ConfigureAwait(false);
        }
    }

    /// <summary>Answers one request; never throws for anything a client sends.</summary>
    private (byte[] Answer, bool Subscribe) Handle(byte[] request, string who)
    {
        string op;
        JsonElement root;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(request);
        }
        catch (JsonException)
        {
            return (Error("the request is not JSON: send one object per line, like {\"op\":\"status\"}"), false);
        }

        using (document)
        {
            root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("op", out JsonElement opElement) || opElement.ValueKind != JsonValueKind.String)
            {
                return (Error("the request needs \"op\": " + Ops), false);
            }

            op = opElement.GetString()!;
            switch (op)
            {
                case "status":
                    return (Status(), false);
                case "subscribe":
                    return (Status(), true);
                case "values":
                    return (Values(), false);
                case "log":
                    return (RecentLines(root), false);
                case "policy-get":
                    return (Policy(), false);
                case "policy-set":
                    return (SetPolicy(root, who), false);
                case "faults":
                    return (Faults(root, who), false);
                case "relay-set":
                    return (SetRelay(root, who), false);
                case "alarm-silence":
                    return (Silence(who), false);
                default:
                    return (Error($"unknown op \"{(op.Length > 40 ? op[..40] : op)}\": " + Ops), false);
            }
        }
    }

    private byte[] Status() => Line(writer =>
    {
        writer.WriteBoolean("ok"u8, true);
        writer.WritePropertyName("status"u8);
        using (JsonDocument status = JsonDocument.Parse(_host.DataPath.Status()))
        {
            status.RootElement.WriteTo(writer);
        }

        writer.WritePropertyName("lanes_total"u8);
        writer.WriteStartObject();
        _host.DataPath.WriteLaneTotals(writer);
        writer.WriteEndObject();
        writer.WritePropertyName("health"u8);
        if (_host.Mqtt is { } mqtt)
        {
            using JsonDocument health = JsonDocument.Parse(mqtt.HealthReport());
            health.RootElement.WriteTo(writer);
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WriteBoolean("fault_injection"u8, _host.DataPath.FaultInjectionConfigured && !_host.DataPath.FaultInjectionPaused);
        writer.WriteBoolean("fault_injection_switchable"u8, _config.AllowFaultInjection && _host.DataPath.FaultInjectionConfigured);
        writer.WriteNumber("fault_lane"u8, _host.DataPath.FaultLane + 1);
        writer.WriteNumber("uptime_s"u8, (long)_host.Uptime.TotalSeconds);
    });

    /// <summary>
    /// <c>{"ok":true,"ts":…,"streams":[{"stream":"plc-1/process","topic":…,"message":{…}}],"relays":[…]}</c>: the last
    /// message the gateway stored for every stream (its groups, the board's sensors, its drivers), as published, and the
    /// relays' states. At most <see cref="MaxValuesBytes"/>; what does not fit is left out, with <c>"truncated":true</c>.
    /// </summary>
    private byte[] Values() => Line(writer =>
    {
        writer.WriteBoolean("ok"u8, true);
        writer.WriteNumber("ts"u8, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        writer.WriteStartArray("streams"u8);
        long size = 0;
        bool truncated = false;
        foreach ((string stream, string topic, byte[] payload) in _host.Latest?.Snapshot() ?? [])
        {
            size += payload.Length + topic.Length + stream.Length + 64;
            if (size > MaxValuesBytes)
            {
                truncated = true;
                break;
            }

            writer.WriteStartObject();
            writer.WriteString("stream"u8, stream);
            writer.WriteString("topic"u8, topic);
            writer.WritePropertyName("message"u8);
            try
            {
                using JsonDocument message = JsonDocument.Parse(payload);
                message.RootElement.WriteTo(writer);
            }
            catch (JsonException)
            {
                writer.WriteNullValue(); // not expected: the gateway writes every payload as JSON
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteBoolean("truncated"u8, truncated);
        writer.WriteStartArray("relays"u8);
        if (_host.Relays is { } relays)
        {
            foreach (Appliance.Board.Relays.RelaySpec relay in relays.Bank.Relays)
            {
                writer.WriteStartObject();
                writer.WriteString("name"u8, relay.Name);
                writer.WriteString("role"u8, relay.Role.ToString());
                writer.WriteBoolean("on"u8, relays.Bank.IsEnergized(relay.Name));
                writer.WriteEndObject();
            }
        }

        writer.WriteEndArray();
    });

    /// <summary>
    /// <c>{"op":"log","lines":N}</c> (1 to <see cref="MaxLogLines"/>, 100 if absent): <c>{"ok":true,"log":[{"ts","level","text"}],
    /// "audit":[entry, …]}</c>, the daemon's last log lines and the last audit entries (read from the end of the audit
    /// file, at most <see cref="AuditTailBytes"/>), oldest first.
    /// </summary>
    private byte[] RecentLines(JsonElement request)
    {
        int lines = 100;
        if (request.TryGetProperty("lines", out JsonElement asked))
        {
            if (asked.ValueKind != JsonValueKind.Number || !asked.TryGetInt32(out lines) || lines < 1 || lines > MaxLogLines)
            {
                return Error($"log needs \"lines\": a whole number from 1 to {MaxLogLines}");
            }
        }

        IReadOnlyList<string> audit = _host.Drivers is { } drivers ? AuditTail(drivers.Audit.Path, lines) : [];
        return Line(writer =>
        {
            writer.WriteBoolean("ok"u8, true);
            writer.WriteStartArray("log"u8);
            foreach (LogLine line in _recent?.Last(lines) ?? [])
            {
                writer.WriteStartObject();
                writer.WriteNumber("ts"u8, line.At.ToUnixTimeMilliseconds());
                writer.WriteString("level"u8, LevelName(line.Level));
                writer.WriteString("text"u8, line.Text);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("audit"u8);
            foreach (string entry in audit)
            {
                try
                {
                    using JsonDocument parsed = JsonDocument.Parse(entry);
                    parsed.RootElement.WriteTo(writer);
                }
                catch (JsonException)
                {
                    writer.WriteStringValue(entry); // a torn last line: shown as it is
                }
            }

            writer.WriteEndArray();
        });
    }

    /// <summary>The last <paramref name="count"/> whole lines of the audit log; none when it cannot be read.</summary>
    private static List<string> AuditTail(string path, int count)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            long start = Math.Max(0, file.Length - AuditTailBytes);
            file.Seek(start, SeekOrigin.Begin);
            byte[] tail = new byte[file.Length - start];
            file.ReadExactly(tail);
            string[] lines = System.Text.Encoding.UTF8.GetString(tail).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            int first = start > 0 ? 1 : 0; // a read from the middle starts inside a line
            return [.. lines.Skip(Math.Max(first, lines.Length - count))];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Critical => "crit",
        LogLevel.Error => "error",
        LogLevel.Warning => "warn",
        LogLevel.Information => "info",
        LogLevel.Debug => "debug",
        _ => "trace",
    };

    private byte[] Policy() => _host.Drivers is { } drivers
        ? Line(writer =>
        {
            writer.WriteBoolean("ok"u8, true);
            writer.WriteString("mode"u8, PolicyModes.Name(drivers.Policy.Mode));
            writer.WriteBoolean("breach_allowed"u8, drivers.Policy.BreachAllowed);
        })
        : Error("there are no drivers, so there is no policy to get or set");

    private byte[] SetPolicy(JsonElement request, string who)
    {
        if (_host.Drivers is not { } drivers)
        {
            return Error("there are no drivers, so there is no policy to get or set");
        }

        if (!request.TryGetProperty("mode", out JsonElement modeElement) || !PolicyModes.TryParse(modeElement.ValueKind == JsonValueKind.String ? modeElement.GetString() : null, out PolicyMode mode))
        {
            return Error("policy-set needs \"mode\": data-diode, secure-channel, lockdown or breach");
        }

        if (!request.TryGetProperty("pin", out JsonElement pinElement) || pinElement.ValueKind != JsonValueKind.String)
        {
            return Error("policy-set needs \"pin\"");
        }

        PolicyMode before = drivers.Policy.Mode;
        PinGuard pins;
        try
        {
            pins = _pins ??= PinGuard.Open(_config.PinFile, _config.PinState);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Refused(drivers, who, before, mode, $"no PIN is set ({e.Message}); write one with appliance pin set {_config.PinFile}");
        }

        PinCheck check = pins.Check(pinElement.GetString()!);
        if (!check.Accepted)
        {
            return Refused(drivers, who, before, mode, check.LockedFor > TimeSpan.Zero
                ? $"wrong PIN ({check.Failures} in a row); locked out for {Math.Ceiling(check.LockedFor.TotalSeconds)} s"
                : $"wrong PIN ({check.Failures} in a row; after {PinGuard.FreeTries} the channel locks out)");
        }

        if (drivers.Policy.Switch(mode, $"control client {who}") is string refused)
        {
            return Refused(drivers, who, before, mode, refused);
        }

        _host.Alarms.Raise($"policy mode switched from {PolicyModes.Name(before)} to {PolicyModes.Name(mode)} by control client {who}");
        return Line(writer =>
        {
            writer.WriteBoolean("ok"u8, true);
            writer.WriteString("mode"u8, PolicyModes.Name(mode));
            writer.WriteString("before"u8, PolicyModes.Name(before));
        });
    }

    private byte[] Refused(Drivers.DriverSet drivers, string who, PolicyMode before, PolicyMode asked, string why)
    {
        drivers.Audit.Write(new AuditEntry("mode-refused", Mode: PolicyModes.Name(before), Target: PolicyModes.Name(asked), Detail: $"control client {who}: {why}"));
        _host.Alarms.Raise($"policy switch from {PolicyModes.Name(before)} to {PolicyModes.Name(asked)} refused for control client {who}: {why}");
        return Error(why);
    }

    /// <summary>
    /// <c>{"op":"alarm-silence"}</c>: the operator acknowledges the alarms raised so far (the beacon goes off, the display's
    /// alarm page gives way). No PIN: it lowers no protection, and only the console group reaches this socket. Logged and
    /// audited with the client.
    /// </summary>
    private byte[] Silence(string who)
    {
        bool wasActive = _host.Alarms.Silence();
        Log.AlarmsSilenced(_logger, who, wasActive);
        _host.Drivers?.Audit.Write(new AuditEntry("alarm-silenced", Detail: $"control client {who}{(wasActive ? "" : " (none was active)")}"));
        return Line(writer =>
        {
            writer.WriteBoolean("ok"u8, true);
            writer.WriteBoolean("was_active"u8, wasActive);
        });
    }

    /// <summary><c>{"op":"relay-set","name":"spare","on":true,"pin":"…"}</c>: a manual relay, with the PIN.</summary>
    private byte[] SetRelay(JsonElement request, string who)
    {
        if (_host.Relays is not { } relays)
        {
            return Error("there are no relays ([[board.relay]])");
        }

        if (!request.TryGetProperty("name", out JsonElement name) || name.ValueKind != JsonValueKind.String
            || !request.TryGetProperty("on", out JsonElement on) || on.ValueKind is not (JsonValueKind.True or JsonValueKind.False)
            || !request.TryGetProperty("pin", out JsonElement pin) || pin.ValueKind != JsonValueKind.String)
        {
            return Error("relay-set needs \"name\", \"on\": true or false, and \"pin\"");
        }

        Appliance.Board.Relays.RelaySpec? relay = relays.Bank.Relays.FirstOrDefault(r => r.Name == name.GetString());
        if (relay is null || relay.Role != Appliance.Board.Relays.RelayRole.Manual)
        {
            return Error(relay is null ? $"no relay \"{name.GetString()}\"" : $"relay \"{relay.Name}\" follows its role ({relay.Role}); only manual relays are switched from the console");
        }

        PinGuard pins;
        try
        {
            pins = _pins ??= PinGuard.Open(_config.PinFile, _config.PinState);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Error($"no PIN is set ({e.Message}); write one with appliance pin set {_config.PinFile}");
        }

        PinCheck check = pins.Check(pin.GetString()!);
        if (!check.Accepted)
        {
            _host.Alarms.Raise($"relay {relay.Name} switch refused for control client {who}: wrong PIN");
            return Error(check.LockedFor > TimeSpan.Zero ? $"wrong PIN; locked out for {Math.Ceiling(check.LockedFor.TotalSeconds)} s" : $"wrong PIN ({check.Failures} in a row)");
        }

        relays.Bank.Set(relay.Name, on.GetBoolean(), $"by control client {who}");
        return Line(writer =>
        {
            writer.WriteBoolean("ok"u8, true);
            writer.WriteString("relay"u8, relay.Name);
            writer.WriteBoolean("on"u8, on.GetBoolean());
        });
    }

    private byte[] Faults(JsonElement request, string who)
    {
        if (!_config.AllowFaultInjection || !_host.DataPath.FaultInjectionConfigured)
        {
            return Error("fault injection cannot be switched here: [control] allow_fault_injection and a rate in [tmr.fault_injection] are needed");
        }

        if (!request.TryGetProperty("on", out JsonElement on) || on.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return Error("faults needs \"on\": true or false");
        }

        int lane = _host.DataPath.FaultLane + 1;
        if (request.TryGetProperty("lane", out JsonElement laneElement))
        {
            if (laneElement.ValueKind != JsonValueKind.Number || !laneElement.TryGetInt32(out lane) || lane < 0 || lane > _host.DataPath.LaneCount)
            {
                return Error($"faults \"lane\" is a lane from 1 to {_host.DataPath.LaneCount}, or 0 for a random lane per fault");
            }
        }

        _host.DataPath.FaultLane = lane - 1;
        _host.DataPath.FaultInjectionPaused = !on.GetBoolean();
        string where = lane > 0 ? $" on lane {lane}" : "";
        _host.Alarms.Raise($"fault injection switched {(on.GetBoolean() ? "on" : "off")}{where} by control client {who}");
        return Line(writer =>
        {
            writer.WriteBoolean("ok"u8, true);
            writer.WriteBoolean("fault_injection"u8, on.GetBoolean());
            writer.WriteNumber("lane"u8, lane);
        });
    }

    private static byte[] Error(string message) => Line(writer =>
    {
        writer.WriteBoolean("ok"u8, false);
        writer.WriteString("error"u8, message);
    });

    private static byte[] Line(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return [.. buffer.WrittenSpan, (byte)'\n'];
    }

    /// <summary>"uid U pid P" from the kernel's SO_PEERCRED (who connected, as the kernel says, not as the client claims).</summary>
    private static string Peer(Socket client)
    {
        try
        {
            byte[] credentials = new byte[12];
            int length = client.GetRawSocketOption(1 /* SOL_SOCKET */, 17 /* SO_PEERCRED */, credentials);
            if (length == 12)
            {
                int pid = BitConverter.ToInt32(credentials, 0);
                int uid = BitConverter.ToInt32(credentials, 4);
                return $"uid {uid} pid {pid}";
            }
        }
        catch (SocketException)
        {
        }

        return "unknown";
    }

    /// <summary>The group's id from /etc/group, when it exists.</summary>
    private static int? GroupId(string group)
    {
        if (group.Length == 0 || !File.Exists("/etc/group"))
        {
            return null;
        }

        foreach (string line in File.ReadLines("/etc/group"))
        {
            string[] fields = line.Split(':');
            if (fields.Length >= 3 && fields[0] == group && int.TryParse(fields[2], System.Globalization.CultureInfo.InvariantCulture, out int gid))
            {
                return gid;
            }
        }

        return null;
    }

    [LibraryImport("libc", EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Chown(string path, int owner, int group);
}
