using MQTTnet.Channel;

namespace Appliance.Mqtt.Guard;

/// <summary>
/// What the guard in front of MQTTnet knows about one connection: what was sent and is awaited (QoS 1 packet
/// identifiers, SUBSCRIBEs with their number of filters), whether CONNACK came, the first failure with its reason
/// (checks, the broker's DISCONNECT, a close in the middle of a packet, our keep-alive), and the transport, so that
/// the client can cut it. Shared by <see cref="GuardedChannel"/>, <see cref="GuardedChannelAdapter"/> and the client.
/// </summary>
internal sealed class ConnectionGuard
{
    private readonly Lock _gate = new();
    private readonly HashSet<ushort> _publishes = [];
    private readonly Dictionary<ushort, int> _subscribes = [];
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<DateTimeOffset> _now;
    private MqttError? _failure;
    private IMqttChannel? _transport;
    private GuardedChannel? _channel;
    private int _writing;
    private int _sends;
    private TaskCompletionSource? _sendsDone;

    public ConnectionGuard(MqttClientOptions options, Func<DateTimeOffset> now)
    {
        Version = options.Protocol;
        MaximumPacketSize = options.MaximumPacketSize;
        Broker = options.Broker;
        KeepAliveSeconds = (ushort)options.KeepAlive.TotalSeconds;
        _now = now;
    }

    public MqttProtocolVersion Version { get; }

    /// <summary>The largest packet accepted from the broker, fixed header included.</summary>
    public int MaximumPacketSize { get; }

    public MqttBrokerEndpoint Broker { get; }

    /// <summary>The Keep Alive our CONNECT carries (MQTTnet's own keep-alive loop is off: the client runs its own on its clock).</summary>
    public ushort KeepAliveSeconds { get; }

    public bool ConnAckSeen { get; set; }

    /// <summary>The raw CONNACK code: a 5.0 reason code or a 3.1.1 return code.</summary>
    public byte ConnAckCode { get; set; }

    /// <summary>The broker's 5.0 Server Keep Alive, taken out of the CONNACK before MQTTnet sees it; null when it sent none.</summary>
    public ushort? ServerKeepAlive { get; set; }

    /// <summary>Why the broker's certificate was refused, set by the certificate check during the handshake.</summary>
    public MqttError? TlsVerdict { get; set; }

    /// <summary>The largest receive buffer the connection needed, in bytes.</summary>
    public int PeakReceiveBuffer { get; set; }

    /// <summary>True while gathered bytes wait to be written (a broker that stops reading holds them here).</summary>
    public bool Writing => Volatile.Read(ref _writing) > 0;

    public MqttError? Failure
    {
        get
        {
            lock (_gate)
            {
                return _failure;
            }
        }
    }

    /// <summary>Completes when MQTTnet reports the connection closed.</summary>
    public Task Ended => _ended.Task;

    public DateTimeOffset Now() => _now();

    /// <summary>Records why the connection ends; the first reason wins.</summary>
    public void Fail(MqttError error)
    {
        lock (_gate)
        {
            _failure ??= error;
        }
    }

    /// <summary>Records <paramref name="error"/> and cuts the transport: MQTTnet sees the connection close and tears down.</summary>
    public void Abort(MqttError error)
    {
        Fail(error);
        IMqttChannel? transport;
        lock (_gate)
        {
            transport = _transport;
        }

        transport?.Dispose();
    }

    public void Attach(IMqttChannel transport, GuardedChannel channel)
    {
        lock (_gate)
        {
            _transport = transport;
            _channel = channel;
        }
    }

    /// <summary>Completes when everything written so far has reached the socket.</summary>
    public Task Flushed()
    {
        GuardedChannel? channel;
        lock (_gate)
        {
            channel = _channel;
        }

        return channel?.Flushed ?? Task.CompletedTask;
    }

    /// <summary>MQTTnet started sending a packet (it may wait for its lock, then for the socket).</summary>
    public void SendStarted()
    {
        lock (_gate)
        {
            _sends++;
        }
    }

    public void SendEnded()
    {
        TaskCompletionSource? done = null;
        lock (_gate)
        {
            if (--_sends == 0)
            {
                done = _sendsDone;
                _sendsDone = null;
            }
        }

        done?.TrySetResult();
    }

    /// <summary>Completes when no packet handed to MQTTnet is still waiting to be written, and what was written has been flushed.</summary>
    public async Task WhenSendsDone()
    {
        Task waiting;
        lock (_gate)
        {
            _sendsDone ??= _sends == 0 ? null : new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiting = _sendsDone?.Task ?? Task.CompletedTask;
        }

        await waiting.ConfigureAwait(false);
        await Flushed().ConfigureAwait(false);
    }

    public void WriteStarted() => Interlocked.Increment(ref _writing);

    public void WriteEnded() => Interlocked.Decrement(ref _writing);

    /// <summary>A QoS 1 PUBLISH with this identifier is about to be written.</summary>
    public void PublishSent(ushort packetId)
    {
        lock (_gate)
        {
            _publishes.Add(packetId);
        }
    }

    /// <summary>A SUBSCRIBE with this identifier and number of topic filters is about to be written.</summary>
    public void SubscribeSent(ushort packetId, int filters)
    {
        lock (_gate)
        {
            _subscribes[packetId] = filters;
        }
    }

    /// <summary>A PUBACK arrived: true if its identifier was in flight (it no longer is).</summary>
    public bool Acknowledge(ushort packetId)
    {
        lock (_gate)
        {
            return _publishes.Remove(packetId);
        }
    }

    /// <summary>A SUBACK arrived: the number of topic filters its SUBSCRIBE had, or null if no SUBSCRIBE is outstanding with that identifier.</summary>
    public int? TakeSubscribe(ushort packetId)
    {
        lock (_gate)
        {
            return _subscribes.Remove(packetId, out int filters) ? filters : null;
        }
    }

    public void OnEnded() => _ended.TrySetResult();
}
