using System.Buffers;
using Appliance.Mqtt.Guard;
using MQTTnet;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Exceptions;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using NetClient = MQTTnet.MqttClient;
using NetUserProperty = MQTTnet.Packets.MqttUserProperty;

namespace Appliance.Mqtt.Client;

/// <summary>
/// One connection, from CONNECT to close, over a fresh MQTTnet <see cref="IMqttClient"/> whose transport is
/// guarded. Its loops end together: send (publications in order, inside the in-flight window, each handed to
/// MQTTnet as it leaves), keep-alive (PINGREQ on the client's clock, with a deadline for PINGRESP), health, and
/// MQTTnet's own end of the connection. The first to fail ends the connection with its reason; a stop ends it
/// with a goodbye.
/// </summary>
internal sealed class BrokerSession : IAsyncDisposable
{
    /// <summary>How long a clean stop lets publications finish, in real time (<see cref="DrainAsync"/>).</summary>
    private static readonly TimeSpan DrainOnStop = TimeSpan.FromSeconds(1);

    /// <summary>How long the drain at a stop waits for a late hand-over once everything is out.</summary>
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(20);

    /// <summary>How long a stop waits, in real time, for earlier writes to leave before it says goodbye.</summary>
    private static readonly TimeSpan GoodbyeFlush = TimeSpan.FromMilliseconds(500);

    private readonly MqttClient _client;
    private readonly MqttClientOptions _options;
    private readonly ConnectionGuard _guard;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _operations = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _v5;
    private long _maximumPacketSize = long.MaxValue;
    private bool _retainAvailable = true;
    private bool _qos1Available = true;
    private readonly Lock _progressGate = new();
    private TaskCompletionSource? _progress;
    private int _pending;
    private int _publishing;
    private int _closing;

    public BrokerSession(MqttClient client, ConnectionGuard guard)
    {
        _client = client;
        _options = client.Options;
        _guard = guard;
        _time = _options.TimeProvider;
        Mqtt = new NetClient(new GuardedAdapterFactory(guard), MqttNetNullLogger.Instance);
        Mqtt.DisconnectedAsync += e =>
        {
            // A failed connect is put into words by the client from its exception; this is for an established connection.
            if (e.ClientWasConnected && e.Exception is { } failure)
            {
                guard.Fail(Describe(failure));
            }

            guard.OnEnded();
            return Task.CompletedTask;
        };
        Mqtt.ApplicationMessageReceivedAsync += OnMessageAsync;
    }

    public IMqttClient Mqtt { get; }

    /// <summary>QoS 1 publications in flight at once: our cap, under the broker's Receive Maximum (MQTT 5.0 §3.2.2.3.3).</summary>
    public int Window { get; private set; }

    /// <summary>The keep-alive in force: ours, or the broker's Server Keep Alive (MQTT 5.0 §3.2.2.3.14).</summary>
    public TimeSpan KeepAlive { get; private set; }

    public int PeakReceiveBuffer => _guard.PeakReceiveBuffer;

    /// <summary>Takes what the broker's CONNACK allows: Receive Maximum, Maximum Packet Size, Retain Available, Maximum QoS, Server Keep Alive.</summary>
    public void Start(MqttClientConnectResult result)
    {
        _v5 = _options.Protocol == MqttProtocolVersion.V500;
        Window = Math.Min(_options.MaxInFlight, _v5 && result.ReceiveMaximum is > 0 and ushort receiveMaximum ? receiveMaximum : ushort.MaxValue);
        if (_v5)
        {
            _maximumPacketSize = result.MaximumPacketSize is > 0 and uint maximum ? maximum : long.MaxValue;
            _retainAvailable = result.RetainAvailable;
            _qos1Available = result.MaximumQoS != MqttQualityOfServiceLevel.AtMostOnce;
        }

        KeepAlive = TimeSpan.FromSeconds(_guard.ServerKeepAlive ?? _guard.KeepAliveSeconds);
    }

    /// <summary>
    /// Runs the connection until <paramref name="stop"/> (then says goodbye: "offline" and DISCONNECT; returns null)
    /// or a failure, whose reason it returns.
    /// </summary>
    public async Task<MqttError?> ServeAsync(CancellationToken stop)
    {
        using var loops = new CancellationTokenSource();
        using var sending = new CancellationTokenSource();
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using CancellationTokenRegistration onStop = stop.Register(() => stopped.TrySetResult());
        Task[] running =
        [
            SendLoopAsync(sending.Token),
            KeepAliveLoopAsync(loops.Token),
            HealthLoopAsync(loops.Token),
            _guard.Ended,
            stopped.Task,
        ];
        Task first = await Task.WhenAny(running).ConfigureAwait(false);
        MqttError? failure = _guard.Failure;
        if (failure is null && first != stopped.Task)
        {
            failure = first.Exception?.InnerException is { } e
                ? new MqttError(MqttErrorKind.ConnectionLost, $"the connection to {_options.Broker} failed: {e.Message}", null, _guard.Now())
                : new MqttError(MqttErrorKind.ConnectionLost, $"the connection to {_options.Broker} ended", null, _guard.Now());
        }

        if (failure is null)
        {
            await DrainAsync().ConfigureAwait(false);
        }

        await sending.CancelAsync().ConfigureAwait(false);
        await loops.CancelAsync().ConfigureAwait(false);
        await WhenAllQuietly(running[..3]).ConfigureAwait(false);
        failure ??= _guard.Failure;
        if (failure is null)
        {
            // What MQTTnet still holds after the drain (a broker that does not read or answer) is given up: it stays
            // queued, and in the spool, and the goodbye waits behind nothing but bytes already on their way.
            await _operations.CancelAsync().ConfigureAwait(false);
            await GoodbyeAsync().ConfigureAwait(false);
            return null;
        }

        _guard.Abort(failure);
        return _guard.Failure;
    }

    /// <summary>
    /// A clean stop first lets the send loop finish what it was given: the queue is handed over (a publication the
    /// spool pump hands in within <see cref="QuietPeriod"/> included), written, and acknowledged, for at most
    /// <see cref="DrainOnStop"/> in real time. What is left then stays queued, and in the spool, for the next start.
    /// </summary>
    private async Task DrainAsync()
    {
        long started = TimeProvider.System.GetTimestamp();
        TimeSpan Left() => DrainOnStop - TimeProvider.System.GetElapsedTime(started);
        bool quiet = false;
        while (Left() > TimeSpan.Zero && _guard.Failure is null)
        {
            Task progress = NextProgress();
            if (!_client.HasWaiting && Volatile.Read(ref _publishing) == 0)
            {
                if (quiet)
                {
                    break;
                }

                quiet = true;
                progress = Task.Delay(QuietPeriod, TimeProvider.System);
            }
            else
            {
                quiet = false;
            }

            try
            {
                await progress.WaitAsync(Left() > TimeSpan.Zero ? Left() : TimeSpan.Zero, TimeProvider.System, CancellationToken.None).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                break;
            }
        }

        try
        {
            await _guard.WhenSendsDone().WaitAsync(GoodbyeFlush, TimeProvider.System, CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // a broker that does not read
        }
    }

    /// <summary>Completes at the next publication finished on this connection, or when the client queues more.</summary>
    private Task<Task> NextProgress()
    {
        lock (_progressGate)
        {
            _progress ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return Task.WhenAny(_progress.Task, _client.WhenQueued());
        }
    }

    private void Progressed()
    {
        TaskCompletionSource? progress;
        lock (_progressGate)
        {
            progress = _progress;
            _progress = null;
        }

        progress?.TrySetResult();
    }

    /// <summary>Sends the SUBSCRIBE of <paramref name="request"/>; the SUBACK completes it (once: later connections renew it quietly).</summary>
    public void Subscribe(SubscribeRequest request)
    {
        MqttClientSubscribeOptionsBuilder builder = new();
        foreach (MqttSubscription subscription in request.Subscriptions)
        {
            builder = builder.WithTopicFilter(subscription.TopicFilter, (MqttQualityOfServiceLevel)subscription.MaximumQos);
        }

        Task<MqttClientSubscribeResult> sent = Mqtt.SubscribeAsync(builder.Build(), _operations.Token);
        Track(CompleteSubscribeAsync(request, sent));
    }

    /// <summary>Closes the connection (if the goodbye did not) and waits until every publication handed to MQTTnet has finished on it.</summary>
    public async ValueTask DisposeAsync()
    {
        _guard.Abort(new MqttError(MqttErrorKind.ConnectionLost, "the connection was closed", null, _guard.Now()));
        await _operations.CancelAsync().ConfigureAwait(false);
        Interlocked.Exchange(ref _closing, 1);
        if (Volatile.Read(ref _pending) == 0)
        {
            _drained.TrySetResult();
        }
        await _drained.Task.ConfigureAwait(false);
        Mqtt.Dispose();
        _operations.Dispose();
    }

    /// <summary>A failure MQTTnet reports at the end of a connection that the guard did not see first.</summary>
    private MqttError Describe(Exception e)
    {
        Exception inner = e;
        while (inner is MqttCommunicationException && inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return inner is MqttProtocolViolationException
            ? new MqttError(MqttErrorKind.ProtocolViolation, $"the broker broke the protocol, so the connection was dropped: {inner.Message}", MqttReasonCode.ProtocolError, _guard.Now())
            : new MqttError(MqttErrorKind.ConnectionLost, $"the connection to {_options.Broker} was lost: {inner.Message}", null, _guard.Now());
    }

    private static async Task WhenAllQuietly(Task[] tasks)
    {
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // the first ending is the one that counts
        }
    }

    /// <summary>
    /// Hands publications to MQTTnet in order while the window has room. Each is turned into a PUBLISH only now,
    /// as it leaves: a publication re-sent after a reconnect carries DUP.
    /// </summary>
    private async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!_client.TryTakeNext(Window, out OutgoingPublish? publish))
            {
                await _client.WaitForWorkAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            // The User Properties are decided now, as the message leaves: a spool marks what is old by then.
            IReadOnlyList<MqttUserProperty> properties = _v5 ? publish!.PropertiesNow() : [];
            if (Unacceptable(publish!, properties) is { } refusal)
            {
                _client.Refuse(publish!, refusal.Code, refusal.Reason, 0, refusal.Status);
                continue;
            }

            Task<MqttClientPublishResult> sent;
            try
            {
                sent = Mqtt.PublishAsync(ToMessage(publish!, properties), _operations.Token);
            }
            catch (MqttClientNotConnectedException)
            {
                // MQTTnet is tearing the connection down; the publication goes back in the queue, and the reason comes with the end.
                await _guard.Ended.ConfigureAwait(false);
                return;
            }

            if (!publish!.Internal)
            {
                Interlocked.Increment(ref _publishing);
            }

            Track(CompletePublishAsync(publish!, sent));
        }
    }

    private static MqttApplicationMessage ToMessage(OutgoingPublish publish, IReadOnlyList<MqttUserProperty> properties)
    {
        var message = new MqttApplicationMessage
        {
            Topic = publish.Topic,
            Payload = new ReadOnlySequence<byte>(publish.Payload),
            QualityOfServiceLevel = (MqttQualityOfServiceLevel)publish.Qos,
            Retain = publish.Retain,
            Dup = publish.Dup,
        };
        if (properties.Count > 0)
        {
            message.UserProperties = [.. properties.Select(p => new NetUserProperty(p.Name, System.Text.Encoding.UTF8.GetBytes(p.Value).AsMemory()))];
        }

        return message;
    }

    private (MqttReasonCode Code, string Reason, PublishStatus Status)? Unacceptable(OutgoingPublish publish, IReadOnlyList<MqttUserProperty> properties)
    {
        if (publish.Retain && !_retainAvailable)
        {
            return (MqttReasonCode.RetainNotSupported, "the broker does not support retained messages (CONNACK Retain Available 0)", PublishStatus.Refused);
        }

        if (publish.Qos == MqttQos.AtLeastOnce && !_qos1Available)
        {
            return (MqttReasonCode.QosNotSupported, "the broker accepts QoS 0 only (CONNACK Maximum QoS 0)", PublishStatus.Refused);
        }

        if (_maximumPacketSize == long.MaxValue)
        {
            return null;
        }

        long size = PublishSize.Measure(publish, properties, _v5);
        return size > _maximumPacketSize
            ? (MqttReasonCode.PacketTooLarge, $"the PUBLISH is {size} bytes; the broker's Maximum Packet Size is {_maximumPacketSize}", PublishStatus.TooLarge)
            : null;
    }

    private async Task CompletePublishAsync(OutgoingPublish publish, Task<MqttClientPublishResult> sent)
    {
        try
        {
            _client.OnPublished(publish, await sent.ConfigureAwait(false));
        }
        catch (Exception)
        {
            // Not finished on this connection: it goes back in the queue when the connection ends.
        }
        finally
        {
            if (!publish.Internal)
            {
                Interlocked.Decrement(ref _publishing);
            }

            Progressed();
        }
    }

    private async Task CompleteSubscribeAsync(SubscribeRequest request, Task<MqttClientSubscribeResult> sent)
    {
        MqttClientSubscribeResult result;
        try
        {
            result = await sent.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Sent again on the next connection.
            return;
        }

        _client.OnSubscribed(request, result);
    }

    private void Track(Task task)
    {
        Interlocked.Increment(ref _pending);
        task.ContinueWith(
            static (_, state) =>
            {
                var session = (BrokerSession)state!;
                if (Interlocked.Decrement(ref session._pending) == 0 && Volatile.Read(ref session._closing) == 1)
                {
                    session._drained.TrySetResult();
                }
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>
    /// Sends PINGREQ every keep-alive interval and waits for PINGRESP up to the ping timeout; silence means the
    /// connection (or the broker) is dead, so it is cut and the client reconnects. The deadline runs from before the
    /// PINGREQ is handed to MQTTnet, so a broker that stops reading (our writes never complete) is caught too.
    /// All waits use the client's <see cref="TimeProvider"/>.
    /// </summary>
    private async Task KeepAliveLoopAsync(CancellationToken cancellationToken)
    {
        if (KeepAlive == TimeSpan.Zero)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            return;
        }

        TimeSpan timeout = _options.EffectivePingTimeout(KeepAlive);
        while (true)
        {
            await Task.Delay(KeepAlive, _time, cancellationToken).ConfigureAwait(false);
            using var deadline = new CancellationTokenSource(timeout, _time);
            using var ping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token, _operations.Token);
            try
            {
                Log.PingSent(_options.Logger, timeout);
                await Mqtt.PingAsync(ping.Token).ConfigureAwait(false);
            }
            catch (Exception) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                _guard.Abort(new MqttError(
                    MqttErrorKind.KeepAliveTimeout,
                    $"no PINGRESP from {_options.Broker} within {timeout.TotalSeconds:0.###} s of a PINGREQ (the broker is silent, or not reading); the connection is presumed dead",
                    null,
                    _guard.Now()));
                throw;
            }
        }
    }

    private async Task HealthLoopAsync(CancellationToken cancellationToken)
    {
        if (_options.HealthInterval is not { } interval)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            return;
        }

        while (true)
        {
            await Task.Delay(interval, _time, cancellationToken).ConfigureAwait(false);
            _client.EnqueueHealth();
        }
    }

    /// <summary>
    /// On a clean stop: the status topic says "offline" (QoS 0, retained), then DISCONNECT so the will is not
    /// needed. Skipped when what was written does not leave within <see cref="GoodbyeFlush"/> (a broker that stopped
    /// reading): the broker then sees the connection drop and publishes the will, which says the same.
    /// </summary>
    private async Task GoodbyeAsync()
    {
        if (_guard.Writing)
        {
            try
            {
                await _guard.Flushed().WaitAsync(GoodbyeFlush, TimeProvider.System).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return;
            }
        }

        if (!Mqtt.IsConnected)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
        try
        {
            var offline = new MqttApplicationMessage
            {
                Topic = _options.StatusTopic,
                Payload = new ReadOnlySequence<byte>(System.Text.Encoding.UTF8.GetBytes(MqttClientOptions.OfflinePayload)),
                Retain = true,
            };
            await Mqtt.PublishAsync(offline, timeout.Token).ConfigureAwait(false);
            await Mqtt.DisconnectAsync(new MqttClientDisconnectOptions(), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // the broker publishes the will instead
        }
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        if (_options.MessageReceived is not { } handler)
        {
            return;
        }

        MqttApplicationMessage m = e.ApplicationMessage;
        var message = new MqttReceivedMessage(
            m.Topic,
            m.Payload.ToArray(),
            (MqttQos)m.QualityOfServiceLevel,
            m.Retain,
            m.Dup,
            m.UserProperties is { Count: > 0 } properties ? [.. properties.Select(p => new MqttUserProperty(p.Name, p.ReadValueAsString()))] : []);
        try
        {
            await handler(message).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.HandlerFailed(_options.Logger, m.Topic, ex);
        }
    }
}
