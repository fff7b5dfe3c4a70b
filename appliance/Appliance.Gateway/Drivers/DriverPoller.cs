using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Appliance.Config;
using Appliance.Drivers.Audit;
using Appliance.Drivers.Files;
using Appliance.Drivers.Hosting;
using Appliance.Drivers.Net;
using Appliance.Drivers.Policy;
using Appliance.Gateway.Telemetry;
using Microsoft.Extensions.Logging;

namespace Appliance.Gateway.Drivers;

/// <summary>
/// One vendor driver, polled at its interval on a thread of its own (its capability calls block: a file read, a
/// connect), so that it never delays a Modbus poll. Each poll's readings are one telemetry message through the same
/// sink as the Modbus values (numbered, spooled): <c>{"ts":..,"seq":..,"driver":"rig-7","quality":"good",
/// "mode":"data-diode","values":{"pressure":4.25},"units":{"pressure":"bar"},"error":null}</c>. A driver that traps,
/// runs out of fuel or time, or returns what cannot be lifted is stopped (audited), published BAD with the reason,
/// and started again from a new instance after a backoff doubling from 1 s to 1 min.
/// </summary>
public sealed class DriverPoller : IDisposable
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LastBackoff = TimeSpan.FromMinutes(1);

    private readonly DriverModule _module;
    private readonly DriverPolicy _policy;
    private readonly AuditLog? _audit;
    private readonly ITelemetrySink _sink;
    private readonly ILogger _logger;
    private readonly string _topic;
    private readonly Lock _gate = new();
    private DriverInstance? _instance;
    private DriverCapabilities? _capabilities;
    private TimeSpan _backoff = FirstBackoff;

    public DriverPoller(DriverConfig config, DriverModule module, DriverPolicy policy, AuditLog? audit, ITelemetrySink sink, string topic, ILogger logger)
    {
        Config = config;
        _module = module;
        _policy = policy;
        _audit = audit;
        _sink = sink;
        _topic = topic;
        _logger = logger;
        Stream = StreamName.Of(config.Name, "driver");
    }

    public DriverConfig Config { get; }

    public string Stream { get; }

    /// <summary>The topic of its telemetry.</summary>
    public string Topic => _topic;

    public long Polls { get; private set; }

    public long GoodPolls { get; private set; }

    public long Faults { get; private set; }

    public string LastError { get; private set; } = "";

    /// <summary>The last telemetry message it published (its JSON), for dashboards.</summary>
    public string LastMessage { get; private set; } = "";

    /// <summary>Denied calls since start, by call; bytes sent; log lines dropped (of every instance so far).</summary>
    public (IReadOnlyDictionary<string, long> Denied, long DeniedTotal, long BytesSent, long LogLinesDropped) Counters
    {
        get
        {
            lock (_gate)
            {
                var denied = new Dictionary<string, long>(_denied, StringComparer.Ordinal);
                long total = _deniedTotal;
                long sent = _bytesSent;
                long dropped = _logDropped;
                if (_capabilities is { } live)
                {
                    foreach ((string call, long count) in live.Denied)
                    {
                        denied[call] = denied.GetValueOrDefault(call) + count;
                    }

                    total += live.DeniedTotal;
                    sent += live.BytesSent;
                    dropped += live.LogLinesDropped;
                }

                return (denied, total, sent, dropped);
            }
        }
    }

    private readonly Dictionary<string, long> _denied = new(StringComparer.Ordinal);
    private long _deniedTotal;
    private long _bytesSent;
    private long _logDropped;

    /// <summary>Polls until cancelled, on a long-running thread.</summary>
    public Task RunAsync(TimeProvider time, CancellationToken stop) =>
        Task.Factory.StartNew(() => Run(time, stop), stop, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>One poll: (re)starts the driver if needed, calls poll, publishes. Returns how long to wait before the next.</summary>
    public TimeSpan PollOnce(TimeProvider time, CancellationToken stop)
    {
        DateTimeOffset started = time.GetUtcNow();
        IReadOnlyList<DriverReading>? readings = null;
        string? error;
        try
        {
            DriverInstance instance = _instance ??= Start(time);
            (readings, error) = instance.Poll();
            _backoff = FirstBackoff;
        }
        catch (DriverFaultException fault)
        {
            error = "stopped: " + fault.Message;
            Stop(fault.Message);
        }

        Polls++;
        if (error is null)
        {
            GoodPolls++;
        }
        else
        {
            LastError = error;
        }

        long sequence = _sink.NextSequence(Stream);
        byte[] payload = Format(started, sequence, readings, error);
        LastMessage = System.Text.Encoding.UTF8.GetString(payload);
        _sink.PublishAsync(new TelemetryMessage(_topic, payload, Retain: false, Stream, sequence), stop).AsTask().GetAwaiter().GetResult();
        return _instance is null ? _backoff : Config.Interval;
    }

    public void Dispose() => Release();

    private void Run(TimeProvider time, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                TimeSpan wait = PollOnce(time, stop);
                if (_instance is null)
                {
                    _backoff = TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, LastBackoff.Ticks));
                }

                stop.WaitHandle.WaitOne(wait);
            }
        }
        finally
        {
            Release();
        }
    }

    private DriverInstance Start(TimeProvider time)
    {
        SensorRoot? root = TryOpenRoot();
        var net = new NetLimits(Config.MaxConnections, Config.BytesPerConnection, Config.BytesPerMinute, TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(200));
        var capabilities = new DriverCapabilities(Config.Name, root, _policy, net, (int)Config.MaxRead, _audit, _logger, time);
        lock (_gate)
        {
            _capabilities = capabilities;
        }

        try
        {
            return DriverInstance.Create(_module, capabilities);
        }
        catch
        {
            Release();
            throw;
        }
    }

    private SensorRoot? TryOpenRoot()
    {
        try
        {
            return SensorRoot.Open(Config.Root);
        }
        catch (IOException e)
        {
            Log.DriverRootMissing(_logger, Config.Name, e.Message);
            return null;
        }
    }

    private void Stop(string why)
    {
        Faults++;
        Log.DriverStopped(_logger, Config.Name, why);
        _capabilities?.Stopped(why);
        Release();
    }

    /// <summary>Drops the instance and its connections, keeping its counters.</summary>
    private void Release()
    {
        lock (_gate)
        {
            if (_capabilities is { } old)
            {
                foreach ((string call, long count) in old.Denied)
                {
                    _denied[call] = _denied.GetValueOrDefault(call) + count;
                }

                _deniedTotal += old.DeniedTotal;
                _bytesSent += old.BytesSent;
                _logDropped += old.LogLinesDropped;
                old.Dispose();
            }

            _instance?.Dispose();
            _instance = null;
            _capabilities = null;
        }
    }

    private byte[] Format(DateTimeOffset at, long sequence, IReadOnlyList<DriverReading>? readings, string? error)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("ts"u8, at.ToUnixTimeMilliseconds());
            json.WriteNumber("seq"u8, sequence);
            json.WriteString("driver"u8, Config.Name);
            json.WriteString("quality"u8, error is null ? "good"u8 : "bad"u8);
            json.WriteString("mode"u8, PolicyModes.Name(_policy.Mode));
            json.WriteStartObject("values"u8);
            foreach (DriverReading reading in readings ?? [])
            {
                if (double.IsFinite(reading.Value))
                {
                    json.WriteNumber(reading.Name, reading.Value);
                }
                else
                {
                    json.WriteString(reading.Name, reading.Value.ToString(CultureInfo.InvariantCulture));
                }
            }

            json.WriteEndObject();
            json.WriteStartObject("units"u8);
            foreach (DriverReading reading in readings ?? [])
            {
                json.WriteString(reading.Name, reading.Unit);
            }

            json.WriteEndObject();
            if (error is null)
            {
                json.WriteNull("error"u8);
            }
            else
            {
                json.WriteString("error"u8, DriverCapabilities.Printable(error));
            }

            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
