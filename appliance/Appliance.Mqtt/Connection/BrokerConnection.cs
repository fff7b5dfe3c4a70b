using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Text;
using Appliance.Mqtt.Packets;
using Microsoft.Extensions.Logging;

namespace Appliance.Mqtt.Connection;

/// <summary>
/// One connection to the broker, from CONNECT to close. It runs four loops that end together: receive
/// (every packet from the broker, checked against what the client expects), send (publications in order,
/// inside the in-flight window), keep-alive (PINGREQ, and a deadline for PINGRESP) and health. The first
/// loop to fail ends the connection with its reason; a stop request ends it with a goodbye.
/// </summary>
internal sealed partial class BrokerConnection : IAsyncDisposable
{
    private const int MaxBatchCount = 256;
    private const int MaxBatchBytes = 64 * 1024;

    private readonly LegacyMqttClient _client;
    private readonly MqttClientOptions _options;
    private readonly Stream _stream;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly MqttCodecSettings _settings;
    private readonly ReceiveBuffer _receive;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _abort = new();
    private readonly List<OutgoingPublish> _unwritten = [];
    private ArrayBufferWriter<byte> _send = new(4096);
    private TaskCompletionSource? _pong;
    private volatile bool _interrupted;

    public BrokerConnection(LegacyMqttClient client, Stream stream)
    {
        _client = client;
        _options = client.Options;
        _stream = stream;
        _time = _options.TimeProvider;
        _logger = _options.Logger;
        _settings = new MqttCodecSettings(_options.Protocol, _options.MaximumPacketSize);
        _receive = new ReceiveBuffer(_options.MaximumPacketSize);
    }

    public MqttProtocolVersion Version => _settings.Version;

    /// <summary>QoS 1 publications in flight at once: our cap, under the broker's Receive Maximum (MQTT 5.0 §3.2.2.3.3).</summary>
    public int Window { get; private set; }

    /// <summary>The largest packet the broker takes (MQTT 5.0 §3.2.2.3.6); unlimited on 3.1.1.</summary>
    public long ServerMaximumPacketSize { get; private set; } = long.MaxValue;

    public bool RetainAvailable { get; private set; } = true;

    public MqttQos MaximumQos { get; private set; } = MqttQos.AtLeastOnce;

    /// <summary>The keep-alive in force: ours, or the broker's Server Keep Alive (MQTT 5.0 §3.2.2.3.14).</summary>
    public TimeSpan KeepAlive { get; private set; }

    public int ReceiveBufferPeak => _receive.Peak;

    /// <summary>QoS 0 publications whose write did not complete: the client queues them again.</summary>
    public List<OutgoingPublish> TakeUnwritten()
    {
        lock (_unwritten)
        {
            List<OutgoingPublish> unwritten = [.. _unwritten];
            _unwritten.Clear();
            return unwritten;
        }
    }

    /// <summary>
    /// Runs the connection until <paramref name="stop"/> (then says goodbye: "offline" and DISCONNECT) or a
    /// failure, which is rethrown. Never returns normally while the connection is healthy.
    /// </summary>
    public async Task ServeAsync(CancellationToken stop)
    {
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(stop, _abort.Token);
        Task[] loops =
        [
            ReceiveLoopAsync(lifetime.Token),
            SendLoopAsync(lifetime.Token),
            KeepAliveLoopAsync(lifetime.Token),
            HealthLoopAsync(lifetime.Token),
        ];
        Task first = await Task.WhenAny(loops);
        Exception? failure = first.IsFaulted ? first.Exception!.InnerException : null;
        if (failure is null && !stop.IsCancellationRequested)
        {
            failure = new InvalidOperationException("a connection loop ended on its own");
        }

        if (failure is not null)
        {
            await _abort.CancelAsync();
            await _stream.DisposeAsync();
            await WhenAllQuietly(loops);
            ExceptionDispatchInfo.Throw(failure);
        }

        await lifetime.CancelAsync();
        await WhenAllQuietly(loops);
        await GoodbyeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_abort.IsCancellationRequested)
        {
            await _abort.CancelAsync();
        }

        await _stream.DisposeAsync();
        _abort.Dispose();
        _writeLock.Dispose();
    }

    /// <summary>Sends a SUBSCRIBE for <paramref name="request"/> with a fresh packet identifier.</summary>
    public async Task SendSubscribeAsync(SubscribeRequest request)
    {
        ushort id = _client.ReservePacketId(request);
        var packet = new SubscribePacket
        {
            PacketId = id,
            Subscriptions = [.. request.Subscriptions.Select(s => new TopicSubscription(s.TopicFilter, (byte)s.MaximumQos))],
        };
        try
        {
            await WriteAsync(packet);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // the connection is going down; the subscription is sent again on the next one
        }
    }

    private static async Task WhenAllQuietly(Task[] tasks)
    {
        try
        {
            await Task.WhenAll(tasks);
        }
        catch (Exception)
        {
            // the first failure is the one that counts; the others follow from closing the stream
        }
    }

    /// <summary>
    /// On a clean stop: the status topic says "offline" (QoS 0, retained), then DISCONNECT so the will is not
    /// needed. Skipped when a write was cut short: the broker then sees the connection drop and publishes the will.
    /// </summary>
    private async Task GoodbyeAsync()
    {
        if (_interrupted)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
        try
        {
            var offline = new PublishPacket { Topic = _options.StatusTopic, Retain = true, Payload = Encoding.UTF8.GetBytes(MqttClientOptions.OfflinePayload) };
            await WriteAsync(offline, timeout.Token);
            await WriteAsync(new DisconnectPacket(), timeout.Token);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // the broker publishes the will instead
        }
    }

    /// <summary>Writes one control packet, serialized with every other write.</summary>
    private Task WriteAsync(MqttPacket packet) => WriteAsync(packet, _abort.Token);

    /// <summary>Writes the encoded buffer; a cancelled write may have left part of a packet on the wire, so nothing more is written after it.</summary>
    private async Task WriteBufferAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _stream.WriteAsync(_send.WrittenMemory, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            _interrupted = true;
            throw;
        }
    }

    private async Task WriteAsync(MqttPacket packet, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            _send.Clear();
            MqttPacketWriter.Write(packet, Version, _send);
            await WriteBufferAsync(cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
