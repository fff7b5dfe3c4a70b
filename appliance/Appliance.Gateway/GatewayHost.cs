using System.Data.Common;
using System.Device.I2c;
using System.Globalization;
using Appliance.Config;
using Appliance.Board.Display;
using Appliance.Board.Relays;
using Appliance.Board.Watchdog;
using Appliance.Gateway.Board;
using Appliance.Gateway.Composition;
using Appliance.Gateway.Control;
using Appliance.Gateway.Drivers;
using Appliance.Gateway.Polling;
using Appliance.Gateway.Supervision;
using Appliance.Gateway.Telemetry;
using Appliance.Mqtt;
using Appliance.Mqtt.Spool;
using Appliance.Sandbox.Parsing;
using Microsoft.Extensions.Logging;

namespace Appliance.Gateway;

/// <summary>
/// The composition root: the one place where the configuration becomes the libraries' objects. It owns the spool, the
/// MQTT client and the spool pump, the pollers and the status publisher; it runs each as a task under the
/// <see cref="Supervisor"/>, and stops them in order: pollers and status first (nothing new is enqueued), a last
/// status (delivered before the client stops when the broker is there, within two seconds), then the MQTT client
/// (what it was sending completes), the pump, and last the spool, so everything not yet delivered stays committed for
/// the next start. <c>appliance run</c> and <c>appliance demo</c> both run it.
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private const string PollTaskPrefix = "poll ";
    private const string DriverTaskPrefix = "driver ";

    /// <summary>How long a stop waits for a connected client to deliver what is spooled (the last status above all).</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MinStatusSpacing = TimeSpan.FromSeconds(1);

    private readonly GatewayHostOptions _options;
    private readonly ITelemetrySink _sink;
    private readonly SpoolPump? _pump;
    private readonly long _created;
    private bool _disposed;

    private GatewayHost(ApplianceConfig config, GatewayHostOptions options, Spool? spool, MqttClient? mqtt, ITelemetrySink sink)
    {
        _options = options;
        _created = options.TimeProvider.GetTimestamp();
        Config = config;
        Spool = spool;
        Mqtt = mqtt;
        _sink = sink;
        _pump = spool is not null && mqtt is not null ? new SpoolPump(spool, mqtt, options.TimeProvider) : null;
        Alarms = new Alarms(options.TimeProvider);
        Supervisor = new Supervisor(Alarms, options.TimeProvider, options.Logger, options.Supervision);
        DataPath = new DataPath(config, options.ParserGuests, sink, Alarms, options.TimeProvider, options.Logger, () => Supervisor.Tasks);
        Drivers = DriverSet.Create(config, options.DriverGuests, sink, options.Logger);
        if (Drivers is { } drivers)
        {
            DataPath.AddToStatus(drivers.WriteStatus);
        }

        DataPath.AddToStatus(json =>
        {
            // Whether every ts can be trusted: a Pi has no real-time clock.
            json.WritePropertyName("clock_synchronized"u8);
            if (ClockSynchronized is bool synchronized)
            {
                json.WriteBooleanValue(synchronized);
            }
            else
            {
                json.WriteNullValue();
            }
        });
        if (options.ConfigRefused.Count > 0)
        {
            DataPath.AddToStatus(json =>
            {
                json.WriteStartArray("config_refused"u8);
                foreach (string error in options.ConfigRefused)
                {
                    json.WriteStringValue(error);
                }

                json.WriteEndArray();
            });
        }

        Board = config.Board is { } board
            ? new BoardPoller(board, BoardPoller.SensorsOf(board, options.I2cDeviceOf), sink, config.Telemetry.TopicFor(config.Node.Id, "board", "sensors"))
            : null;
        Relays = OpenRelays(config.Board, options, Alarms, Drivers);
        Display = config.Board?.Oled is { } oled
            ? new DisplayController(
                new Ssd1306(() => (options.I2cDeviceOf ?? I2cDevice.Create)(new I2cConnectionSettings(oled.Bus, oled.Address)), oled.Height),
                new StatusPages(this, DisplayPage.Columns(Ssd1306.Width)),
                oled.Rotate,
                options.Logger)
            : null;
        Watchdog = OpenWatchdog(config.Watchdog, options.Logger) is { } watchdog ? new WatchdogKeeper(watchdog, DataPath.Groups, options.Logger) : null;
        Control = config.Control.Socket.Length > 0 && options.ControlChannel ? new ControlServer(config.Control, this, options.Logger, options.Logger as RecentLog) : null;
    }

    public ApplianceConfig Config { get; }

    /// <summary>
    /// How long the gateway has been up, on the monotonic clock: a Pi has no real-time clock, and its wall clock jumps
    /// when NTP first sets it (years after a cold start at 1970, hours after fake-hwclock's last save).
    /// </summary>
    public TimeSpan Uptime => _options.TimeProvider.GetElapsedTime(_created);

    /// <summary>Whether NTP has set the clock (systemd-timesyncd says so); null where timesyncd does not run.</summary>
    public bool? ClockSynchronized => Appliance.Board.Clock.ClockSync.IsSynchronized(_options.TimesyncdRuntime);

    /// <summary>The errors of a configuration file refused at import; empty when there is none.</summary>
    public IReadOnlyList<string> ConfigRefused => _options.ConfigRefused;

    public DataPath DataPath { get; }

    /// <summary>The board's own sensors; null without <c>[board]</c>.</summary>
    public BoardPoller? Board { get; }

    /// <summary>The relays and what drives them; null without <c>[[board.relay]]</c>.</summary>
    public RelayController? Relays { get; }

    /// <summary>The OLED and its pages; null without <c>[board.oled]</c>.</summary>
    public DisplayController? Display { get; }

    /// <summary>The watchdog and its health gate; null without one.</summary>
    public WatchdogKeeper? Watchdog { get; }

    /// <summary>The control channel; null when it is off.</summary>
    public ControlServer? Control { get; }

    /// <summary>The vendor drivers and their policy; null when there are none or they cannot start.</summary>
    public DriverSet? Drivers { get; }

    public Alarms Alarms { get; }

    public Supervisor Supervisor { get; }

    /// <summary>The spool, or null when telemetry goes to the console.</summary>
    public Spool? Spool { get; }

    /// <summary>The MQTT client, or null when telemetry goes to the console.</summary>
    public MqttClient? Mqtt { get; }

    /// <summary>The last stored message of every stream (the console's live values).</summary>
    public LatestTelemetry? Latest => _sink as LatestTelemetry;

    /// <summary>
    /// Builds the gateway from <paramref name="config"/>: opens the spool (importing an older version's <c>telemetry.seq</c>
    /// once), creates the MQTT client and compiles the parser for every group. Nothing runs until <see cref="RunAsync"/>.
    /// </summary>
    /// <exception cref="GatewayStartException">The spool cannot be opened, or the parser refused a group's tags.</exception>
    public static GatewayHost Create(ApplianceConfig config, GatewayHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        if (options.ConsoleOutput is TextWriter console)
        {
            return Build(config, options, null, null, new ConsoleSink(console));
        }

        Alarms? alarms = null; // a spool overflow before the gateway exists is logged only
        GatewayHost? built = null; // the health message has no lanes before the gateway exists
        Spool spool = OpenSpool(config, options, overflow => alarms?.Raise(string.Create(
            CultureInfo.InvariantCulture,
            $"the spool is full ([spool] max_size): the oldest {overflow.Dropped} messages were dropped ({overflow.DroppedTotal} since start)")));
        try
        {
            ImportLegacySequences(spool, options.Logger);
            var client = new MqttClient(MqttOptionsMapping.Client(
                config.Mqtt,
                config.Node.Id,
                options.Logger,
                options.TimeProvider,
                () => spool.Counters.ForHealth(),
                options.MessageReceived,
                json =>
                {
                    built?.DataPath.WriteLaneTotals(json);
                    if (built?.Drivers is { } drivers)
                    {
                        DriverSet.WritePolicy(json, drivers.Policy);
                    }
                }));
            GatewayHost host = built = Build(config, options, spool, client, new SpoolSink(spool, config.Mqtt.Qos == 0 ? MqttQos.AtMostOnce : MqttQos.AtLeastOnce));
            alarms = host.Alarms;
            return host;
        }
        catch
        {
            spool.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>
    /// Runs every task under the supervisor until <paramref name="stop"/> is cancelled or a task hits a fault a restart
    /// cannot fix; then stops everything in order. Returns how it ended.
    /// </summary>
    public async Task<GatewayStop> RunAsync(CancellationToken stop)
    {
        using var polling = CancellationTokenSource.CreateLinkedTokenSource(stop);
        using var delivery = new CancellationTokenSource();
        if (Mqtt is not null && _pump is not null)
        {
            MqttClient client = Mqtt;
            SpoolPump pump = _pump;
            Supervisor.Start("mqtt client", token => RunClientAsync(client, token), delivery.Token);
            Supervisor.Start("spool pump", pump.RunAsync, delivery.Token);
        }

        Supervisor.Start("status", PublishStatusAsync, polling.Token);
        if (Control is { } control)
        {
            Supervisor.Start("control", control.RunAsync, polling.Token);
        }
        foreach (GroupPoller group in DataPath.Groups)
        {
            Supervisor.Start(PollTaskPrefix + group.Stream, token => group.RunAsync(_options.TimeProvider, token), polling.Token);
        }

        if (Relays is { } relays)
        {
            Supervisor.Start("relays", token => relays.RunAsync(_options.TimeProvider, token), polling.Token);
        }

        if (Watchdog is { } keeper)
        {
            Supervisor.Start("watchdog", token => keeper.RunAsync(_options.TimeProvider, token), polling.Token);
        }

        if (Display is { } display)
        {
            Supervisor.Start("display", token => display.RunAsync(_options.TimeProvider, token), polling.Token);
        }

        if (Board is { } boardPoller)
        {
            Supervisor.Start("board", token => boardPoller.RunAsync(_options.TimeProvider, token), polling.Token);
        }

        foreach (DriverPoller driver in Drivers?.Pollers ?? [])
        {
            Supervisor.Start(DriverTaskPrefix + driver.Config.Name, token => driver.RunAsync(_options.TimeProvider, token), polling.Token);
        }

        string destination = Mqtt is null ? "to standard output" : $"through the spool {Spool!.Path} to {Config.Mqtt.Broker}";
        int groups = Supervisor.Tasks.Count(task => task.Name.StartsWith(PollTaskPrefix, StringComparison.Ordinal));
        Log.Running(_options.Logger, groups, destination);
        Task stopped = Task.Delay(Timeout.InfiniteTimeSpan, stop);
        Task ended = await Task.WhenAny(stopped, Supervisor.Unrecoverable).ConfigureAwait(false);
        string? unrecoverable = ended == Supervisor.Unrecoverable ? await Supervisor.Unrecoverable.ConfigureAwait(false) : null;
        if (unrecoverable is not null && Watchdog is { } armed)
        {
            armed.DisarmAtStop = false; // the reset restarts the appliance
        }

        await polling.CancelAsync().ConfigureAwait(false);
        await Supervisor.WhenStoppedAsync(PollTaskPrefix).ConfigureAwait(false);
        await Supervisor.WhenStoppedAsync(DriverTaskPrefix).ConfigureAwait(false);
        await Supervisor.WhenStoppedAsync("board").ConfigureAwait(false);
        await Supervisor.WhenStoppedAsync("watchdog").ConfigureAwait(false);
        await Supervisor.WhenStoppedAsync("relays").ConfigureAwait(false);
        await Supervisor.WhenStoppedAsync("display").ConfigureAwait(false);
        await Supervisor.WhenStoppedAsync("status").ConfigureAwait(false);
        await Supervisor.WhenStoppedAsync("control").ConfigureAwait(false);
        await PublishLastStatusAsync().ConfigureAwait(false);

        if (Mqtt is not null)
        {
            await DrainAsync().ConfigureAwait(false);
            await delivery.CancelAsync().ConfigureAwait(false);
            await Mqtt.DisposeAsync().ConfigureAwait(false);
        }

        await Supervisor.WhenStoppedAsync().ConfigureAwait(false);
        return new GatewayStop(unrecoverable);
    }

    /// <summary>Closes the MQTT client, the pollers and last the spool (committing what is pending).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (Mqtt is not null)
        {
            await Mqtt.DisposeAsync().ConfigureAwait(false);
        }

        await DataPath.DisposeAsync().ConfigureAwait(false);
        Drivers?.Dispose();
        Board?.Dispose();
        Display?.Display.Dispose();
        Relays?.Bank.Dispose(); // every relay to its safe state
        if (Spool is not null)
        {
            await Spool.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static RelayController? OpenRelays(BoardConfig? board, GatewayHostOptions options, Alarms alarms, DriverSet? drivers)
    {
        if (board is null || board.Relays.Count == 0)
        {
            return null;
        }

        try
        {
            Func<int, System.Device.Gpio.GpioDriver> driverOf = options.GpioDriverOf ?? (chip => new System.Device.Gpio.Drivers.LibGpiodDriver(chip));
            var bank = new RelayBank(
                [.. board.Relays.Select(relay => new RelaySpec(relay.Name, relay.Chip, relay.Line, relay.ActiveLow, relay.Role switch
                {
                    "alarm" => RelayRole.Alarm,
                    "uplink-isolate" => RelayRole.UplinkIsolate,
                    _ => RelayRole.Manual,
                }, relay.SafeOn))],
                driverOf);
            return new RelayController(bank, alarms, drivers, options.Logger);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or PlatformNotSupportedException or DllNotFoundException or TypeInitializationException or ArgumentException)
        {
            Gateway.Board.Log.RelaysMissing(options.Logger, e.Message);
            return null;
        }
    }

    /// <summary>The service watchdog under systemd, else the configured device, else none.</summary>
    private static IWatchdog? OpenWatchdog(WatchdogConfig config, ILogger logger)
    {
        if (SystemdWatchdog.FromEnvironment() is { } systemd)
        {
            return systemd;
        }

        if (config.Device.Length == 0)
        {
            return null;
        }

        try
        {
            return DeviceWatchdog.Open(config.Device, config.Timeout);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Gateway.Board.Log.WatchdogMissing(logger, config.Device, e.Message);
            return null;
        }
    }

    private static GatewayHost Build(ApplianceConfig config, GatewayHostOptions options, Spool? spool, MqttClient? mqtt, ITelemetrySink sink)
    {
        try
        {
            return new GatewayHost(config, options, spool, mqtt, new LatestTelemetry(sink));
        }
        catch (ParserConfigurationException refused)
        {
            throw new GatewayStartException(refused.Message, refused) { IsConfiguration = true };
        }
    }

    private static Spool OpenSpool(ApplianceConfig config, GatewayHostOptions options, Action<SpoolOverflow> overflowed)
    {
        try
        {
            return Spool.Open(new SpoolOptions
            {
                Path = config.Spool.Path,
                MaxBytes = config.Spool.MaxBytes,
                Logger = options.Logger,
                TimeProvider = options.TimeProvider,
                Overflowed = overflowed,
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DbException)
        {
            throw new GatewayStartException($"cannot open the spool {config.Spool.Path} ([spool] path): {e.Message}", e);
        }
    }

    /// <summary>Versions before the spool kept sequence numbers in <c>telemetry.seq</c> beside it: taken over once, then the file is renamed.</summary>
    private static void ImportLegacySequences(Spool spool, ILogger logger)
    {
        string file = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(spool.Path)) ?? ".", LegacySequenceFile.FileName);
        if (!File.Exists(file))
        {
            return;
        }

        try
        {
            IReadOnlyDictionary<string, long> last = LegacySequenceFile.Read(file, out string? problem);
            if (problem is not null)
            {
                Log.SequenceFileDamaged(logger, problem);
            }

            spool.ImportSequences(last);
            string renamed = file + ".imported";
            File.Move(file, renamed, overwrite: true);
            Log.SequencesImported(logger, last.Count, file, renamed);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DbException)
        {
            throw new GatewayStartException($"cannot import the sequence numbers of {file} into the spool: {e.Message}", e);
        }
    }

    private static async Task RunClientAsync(MqttClient client, CancellationToken stop)
    {
        // The client reconnects by itself and runs once per instance: if it ends on its own, only a new process helps.
        try
        {
            await client.RunAsync(stop).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new UnrecoverableFaultException("the MQTT client stopped: " + e.Message, e);
        }

        if (!stop.IsCancellationRequested)
        {
            throw new UnrecoverableFaultException("the MQTT client stopped without being asked to");
        }
    }

    /// <summary>Publishes the status at start, every <see cref="GatewayHostOptions.StatusInterval"/>, and soon after an alarm (at most once a second).</summary>
    private async Task PublishStatusAsync(CancellationToken stop)
    {
        TimeProvider time = _options.TimeProvider;
        while (true)
        {
            Task alarm = Alarms.NextAlarm;
            if (Drivers?.Policy.Mode == Appliance.Drivers.Policy.PolicyMode.Breach)
            {
                Log.BreachActive(_options.Logger, Drivers.Pollers.Count);
            }

            byte[] status = DataPath.Status();
            await _sink.PublishAsync(TelemetryMessage.Unnumbered(DataPath.StatusTopic, status, retain: true), stop).ConfigureAwait(false);
            Control?.Publish(status);
            await Task.Delay(MinStatusSpacing, time, stop).ConfigureAwait(false);
            await Task.WhenAny(alarm, Task.Delay(_options.StatusInterval - MinStatusSpacing, time, stop)).ConfigureAwait(false);
            stop.ThrowIfCancellationRequested();
        }
    }

    /// <summary>
    /// While the client is connected, waits (at most <see cref="DrainTimeout"/>) until the spool is empty, so that a stop
    /// delivers the last status rather than leaving it for the next start. What is left stays spooled.
    /// </summary>
    private async Task DrainAsync()
    {
        long started = _options.TimeProvider.GetTimestamp();
        while (Spool!.Counters.Queued > 0 && Mqtt!.Status.IsConnected && _options.TimeProvider.GetElapsedTime(started) < DrainTimeout)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), _options.TimeProvider).ConfigureAwait(false);
        }
    }

    private async Task PublishLastStatusAsync()
    {
        try
        {
            await _sink.PublishAsync(TelemetryMessage.Unnumbered(DataPath.StatusTopic, DataPath.Status(), retain: true), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or DbException or UnrecoverableFaultException or ObjectDisposedException)
        {
            Log.LastStatusLost(_options.Logger, e.Message);
        }
    }
}
