using Appliance.Drivers.Audit;
using Appliance.Drivers.Files;
using Appliance.Drivers.Net;
using Appliance.Drivers.Policy;
using Microsoft.Extensions.Logging;

namespace Appliance.Drivers.Hosting;

/// <summary>
/// Everything one driver may reach, decided at every call: its sensor root, its connections and its log. A call the
/// policy forbids returns <c>denied</c> to the guest (never a trap it could probe with), is counted and is written to
/// the audit log (at most <see cref="AuditedDenialsPerMinute"/> lines a minute per driver; the rest are counted in a
/// <c>suppressed</c> line). Engine-independent: <see cref="DriverInstance"/> lowers these results into the guest.
/// </summary>
public sealed class DriverCapabilities : IDisposable
{
    public const int AuditedDenialsPerMinute = 60;

    /// <summary>Log lines a driver may write a minute; the rest are dropped and counted.</summary>
    public const int LogLinesPerMinute = 120;

    private readonly SensorRoot? _root;
    private readonly DriverPolicy _policy;
    private readonly AuditLog? _audit;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly int _maxReadBytes;
    private long _auditMinute;
    private int _auditedThisMinute;
    private long _suppressed;
    private long _logMinute;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _denied = new(StringComparer.Ordinal);
    private long _deniedTotal;
    private long _bytesSent;
    private long _logLinesDropped;
    private int _loggedThisMinute;

    public DriverCapabilities(string driver, SensorRoot? root, DriverPolicy policy, NetLimits net, int maxReadBytes, AuditLog? audit, ILogger logger, TimeProvider time)
    {
        Driver = driver;
        _root = root;
        _policy = policy;
        _audit = audit;
        _logger = logger;
        _time = time;
        _maxReadBytes = maxReadBytes;
        Connections = new Connections(policy, net, time);
        _auditMinute = time.GetTimestamp();
        _logMinute = _auditMinute;
    }

    public string Driver { get; }

    public Connections Connections { get; }

    public DriverPolicy Policy => _policy;

    /// <summary>Calls denied by the policy, by call name ("read-file", "list-dir", "connect"); readable from any thread.</summary>
    public IReadOnlyDictionary<string, long> Denied => _denied;

    public long DeniedTotal => Interlocked.Read(ref _deniedTotal);

    /// <summary>Bytes sent to endpoints (all of them allowed, by construction).</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    public long LogLinesDropped => Interlocked.Read(ref _logLinesDropped);

    public FsError? ReadFile(string path, uint maxBytes, out byte[] content)
    {
        content = [];
        if (!PolicyModes.AllowsFiles(_policy.Mode) || _root is null)
        {
            return Deny("read-file", path, _root is null ? "the driver has no sensor root" : "files are blocked in this mode");
        }

        FsError? error = _root.TryReadFile(path, (int)Math.Min(maxBytes, (uint)_maxReadBytes), out content);
        return error == FsError.Denied ? Deny("read-file", path, "the path leaves the sensor root or is a link") : error;
    }

    public FsError? ListDirectory(string path, out IReadOnlyList<string> names)
    {
        names = [];
        if (!PolicyModes.AllowsFiles(_policy.Mode) || _root is null)
        {
            return Deny("list-dir", path, _root is null ? "the driver has no sensor root" : "files are blocked in this mode");
        }

        FsError? error = _root.TryListDirectory(path, out names);
        return error == FsError.Denied ? Deny("list-dir", path, "the path leaves the sensor root or is a link") : error;
    }

    public NetError? Connect(string endpoint, out uint handle)
    {
        NetError? error = Connections.TryConnect(endpoint, out handle, out Endpoint? parsed);
        if (error is NetError.Denied or NetError.BadAddress)
        {
            string why = error == NetError.BadAddress
                ? "not an exact ip:port"
                : $"{PolicyModes.Name(_policy.Mode)} does not allow {parsed}";
            _ = Deny("connect", endpoint, why);
        }

        return error;
    }

    public NetError? Send(uint handle, ReadOnlySpan<byte> data, out uint sent)
    {
        NetError? error = Connections.TrySend(handle, data, out sent);
        Interlocked.Add(ref _bytesSent, sent);
        return error;
    }

    public NetError? Receive(uint handle, uint maxBytes, out byte[] data) =>
        Connections.TryReceive(handle, (int)Math.Min(maxBytes, int.MaxValue), out data);

    public void Close(uint handle) => Connections.CloseHandle(handle);

    public void Log(int level, string message)
    {
        if (_time.GetElapsedTime(_logMinute) >= TimeSpan.FromMinutes(1))
        {
            _logMinute = _time.GetTimestamp();
            _loggedThisMinute = 0;
        }

        if (++_loggedThisMinute > LogLinesPerMinute)
        {
            Interlocked.Increment(ref _logLinesDropped);
            return;
        }

        string text = Printable(message.Length > 500 ? message[..500] + "..." : message);
        LogLevel logLevel = level switch { 0 => LogLevel.Debug, 1 => LogLevel.Information, 2 => LogLevel.Warning, _ => LogLevel.Error };
        Hosting.Log.DriverSaid(_logger, logLevel, Driver, text);
    }

    /// <summary>The driver's text with control characters written as \uXXXX: a driver cannot forge log lines.</summary>
    public static string Printable(string text) =>
        text.Any(char.IsControl) ? string.Concat(text.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString())) : text;

    /// <summary>Audits a driver that was stopped (trap, fuel, time, malformed result).</summary>
    public void Stopped(string why) =>
        _audit?.Write(new AuditEntry("driver-stopped", Driver, Mode: PolicyModes.Name(_policy.Mode), Detail: why));

    /// <summary>Closes the driver's connections and its sensor root.</summary>
    public void Dispose()
    {
        Connections.Dispose();
        _root?.Dispose();
    }

    private FsError Deny(string call, string target, string why)
    {
        Count(call);
        Audit(call, target, why);
        return FsError.Denied;
    }

    private void Count(string call)
    {
        _denied.AddOrUpdate(call, 1, (_, count) => count + 1);
        Interlocked.Increment(ref _deniedTotal);
    }

    private void Audit(string call, string target, string why)
    {
        if (_audit is null)
        {
            return;
        }

        if (_time.GetElapsedTime(_auditMinute) >= TimeSpan.FromMinutes(1))
        {
            if (_suppressed > 0)
            {
                _audit.Write(new AuditEntry("suppressed", Driver, Mode: PolicyModes.Name(_policy.Mode), Detail: $"{_suppressed} more denied calls in the minute before"));
            }

            _auditMinute = _time.GetTimestamp();
            _auditedThisMinute = 0;
            _suppressed = 0;
        }

        if (++_auditedThisMinute > AuditedDenialsPerMinute)
        {
            _suppressed++;
            return;
        }

        _audit.Write(new AuditEntry("denied", Driver, call, target, PolicyModes.Name(_policy.Mode), why));
    }
}
