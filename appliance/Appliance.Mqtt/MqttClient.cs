using System.Threading.Channels;
using Appliance.Mqtt.Client;
using Microsoft.Extensions.Logging;

namespace Appliance.Mqtt;

/// <summary>
/// An MQTT 3.1.1 / 5.0 client for one broker, built on MQTTnet's <see cref="MQTTnet.IMqttClient"/> and made to sit
/// behind a store-and-forward spool:
/// <list type="bullet">
/// <item><see cref="RunAsync"/> connects (TCP or TLS), keeps the connection alive with PINGREQ on its own clock, and
/// reconnects with exponential backoff and jitter until it is cancelled. Each connection sets the Last Will
/// "offline" and publishes the birth message "online" on the retained status topic.</item>
/// <item><see cref="PublishAsync(string, ReadOnlyMemory{byte}, MqttQos, bool, CancellationToken)"/> completes when the
/// PUBLISH was written (QoS 0) or acknowledged (QoS 1), with the packet identifier and the broker's reason code.
/// A QoS 1 publication not yet acknowledged when a connection drops stays queued and is re-sent, with DUP,
/// after the reconnect, before anything newer: nothing accepted is lost while the client runs.</item>
/// <item><see cref="Status"/> and <see cref="StatusChanged"/> say whether it is connected, how often it
/// reconnected, how much it published, and the last error in words.</item>
/// </list>
/// Every byte from the broker passes the guard (<c>Guard/</c>) before MQTTnet decodes it.
/// </summary>
public sealed partial class MqttClient : IAsyncDisposable
{
    private readonly MqttClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _brokerText;
    private readonly Backoff _backoff;
    private readonly Lock _gate = new();
    private readonly PublishQueue _queue = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    private readonly CancellationTokenSource _disposed = new();
    private MqttConnectionState _state = MqttConnectionState.Idle;
    private MqttError? _lastError;
    private long _sequence;
    private long _attempts;
    private long _connections;
    private long _published;
    private long _refused;
    private DateTimeOffset? _retryAt;
    private TimeSpan? _retryDelay;
    private bool _stopped;
    private int _started;
    private int _peakReceiveBuffer;
    private BrokerSession? _session;
    private Task? _run;

    public MqttClient(MqttClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _time = options.TimeProvider;
        _logger = options.Logger;
        _brokerText = options.Broker.ToString();
        Random random = options.RandomSeed is { } seed ? new Random(seed) : new Random();
        _backoff = new Backoff(options.BackoffInitial, options.BackoffMax, options.RefusedBackoff, options.BackoffJitter, random);
    }

    /// <summary>Raised after the state changes or an error is recorded; may be raised on any thread, and must return quickly.</summary>
    public event Action<MqttClientStatus>? StatusChanged;

    public MqttClientStatus Status
    {
        get
        {
            lock (_gate)
            {
                return SnapshotLocked();
            }
        }
    }

    public MqttClientOptions Options => _options;

    /// <summary>The largest receive buffer any connection needed, in bytes: bounded by <see cref="MqttClientOptions.MaximumPacketSize"/>.</summary>
    internal int PeakReceiveBuffer
    {
        get
        {
            lock (_gate)
            {
                return Math.Max(_peakReceiveBuffer, _session?.PeakReceiveBuffer ?? 0);
            }
        }
    }

    /// <summary>Stops <see cref="RunAsync"/> (with a goodbye "offline" and DISCONNECT when connected) and waits for it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_disposed.IsCancellationRequested)
        {
            await _disposed.CancelAsync();
        }

        Task? run;
        lock (_gate)
        {
            run = _run;
        }

        if (run is not null)
        {
            try
            {
                await run;
            }
            catch (OperationCanceledException)
            {
                // stopping is what was asked for
            }
        }
        else
        {
            CompleteStop();
        }

        _disposed.Dispose();
    }

    internal DateTimeOffset Now() => _time.GetUtcNow();

    internal void Wake() => _wake.Writer.TryWrite(true);

    internal async ValueTask WaitForWorkAsync(CancellationToken cancellationToken)
    {
        if (await _wake.Reader.WaitToReadAsync(cancellationToken))
        {
            _wake.Reader.TryRead(out _);
        }
    }

    private MqttClientStatus SnapshotLocked() => new(
        _state, _lastError, _attempts, _connections, _published, _refused, _queue.WaitingCount, _queue.InFlightCount, _retryAt, _retryDelay);

    private void RaiseStatus()
    {
        Action<MqttClientStatus>? handler = StatusChanged;
        if (handler is not null)
        {
            handler(Status);
        }
    }

    private void CompleteStop()
    {
        List<OutgoingPublish> rest;
        List<SubscribeRequest> subscriptions;
        lock (_gate)
        {
            _stopped = true;
            _state = MqttConnectionState.Stopped;
            _retryAt = null;
            _retryDelay = null;
            rest = _queue.DrainAll();
            subscriptions = [.. _subscriptions.Where(s => !s.Completion.IsCompleted)];
        }

        foreach (OutgoingPublish publish in rest)
        {
            publish.Complete(new PublishOutcome(PublishStatus.Stopped, 0, MqttReasonCode.Success, null));
        }

        foreach (SubscribeRequest request in subscriptions)
        {
            request.Fail(new OperationCanceledException("the MQTT client stopped before the broker acknowledged the subscription"));
        }

        int undelivered = rest.Count(p => !p.Internal);
        Log.Stopped(_logger, undelivered);
        RaiseStatus();
    }
}
