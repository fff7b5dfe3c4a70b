namespace Appliance.Mqtt.Spool;

/// <summary>
/// Publishes the spool through the MQTT client, in id order, and deletes each message once the client reports it
/// delivered (PUBACK for QoS 1, written for QoS 0). A message older than <see cref="HistoricalAge"/> when it leaves is
/// a replay of a backlog: it carries the MQTT 5.0 User Property <c>historical=true</c>. That is decided by the client
/// as the PUBLISH is written, re-sends included, so a message handed over just before an outage and sent after the
/// reconnect is marked too. Nothing is handed to the client while it is disconnected, and a backlog that was already
/// old when handed over goes out at most <see cref="ReplayRate"/> per second. Order is never changed: live messages follow the backlog on the same
/// connection, so every consumer sees each topic in order.
/// </summary>
public sealed class SpoolPump
{
    /// <summary>The User Property on replayed messages.</summary>
    public static readonly IReadOnlyList<MqttUserProperty> HistoricalProperties = [new("historical", "true")];

    private readonly Spool _spool;
    private readonly MqttClient _client;
    private readonly TimeProvider _time;
    private long _replayed;
    private long _handedOver;

    public SpoolPump(Spool spool, MqttClient client, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(spool);
        ArgumentNullException.ThrowIfNull(client);
        _spool = spool;
        _client = client;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>A message older than this when it leaves (as its PUBLISH is written) is historical.</summary>
    public TimeSpan HistoricalAge { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Historical messages per second, at most.</summary>
    public int ReplayRate { get; init; } = 2000;

    /// <summary>Messages handed to the client and not yet completed, at most.</summary>
    public int MaxPending { get; init; } = 500;

    /// <summary>Messages that left marked <c>historical=true</c> (counted once each, re-sends aside) since start.</summary>
    public long Replayed => Interlocked.Read(ref _replayed);

    /// <summary>Messages handed to the client since start.</summary>
    public long HandedOver => Interlocked.Read(ref _handedOver);

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> is cancelled and then until every message handed over has
    /// completed: stop the client (which completes them with <see cref="PublishStatus.Stopped"/>) before awaiting this.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var pending = new Queue<Task>();
        long cursor = 0;
        long replayStarted = 0;
        long replayCount = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                IReadOnlyList<SpooledMessage> batch = _spool.ReadAfter(cursor, 256, out long committedThrough);
                if (batch.Count == 0)
                {
                    // Nothing up to committedThrough is left to read: wait beyond it, never on a mark already passed
                    // (that wait would end at once, and the loop would spin).
                    replayCount = 0;
                    cursor = Math.Max(cursor, committedThrough);
                    await _spool.WaitForMessageAfterAsync(cursor, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                foreach (SpooledMessage message in batch)
                {
                    // Nothing is handed to a disconnected client: what waits for the broker waits here, and leaves as historical.
                    await WaitUntilConnectedAsync(cancellationToken).ConfigureAwait(false);
                    bool historical = _time.GetUtcNow() - message.EnqueuedAt >= HistoricalAge;
                    if (historical)
                    {
                        // Pace the replay: the n-th historical message of a run goes out no sooner than n / ReplayRate seconds after the first.
                        long now = _time.GetTimestamp();
                        if (replayCount == 0)
                        {
                            replayStarted = now;
                        }

                        TimeSpan due = TimeSpan.FromSeconds((double)replayCount / ReplayRate) - _time.GetElapsedTime(replayStarted, now);
                        if (due > TimeSpan.FromMilliseconds(10))
                        {
                            await Task.Delay(due, _time, cancellationToken).ConfigureAwait(false);
                        }

                        replayCount++;
                    }
                    else
                    {
                        replayCount = 0;
                    }

                    while (pending.Count >= MaxPending || (pending.Count > 0 && pending.Peek().IsCompleted))
                    {
                        await pending.Dequeue().ConfigureAwait(false);
                    }

                    pending.Enqueue(PublishAsync(message));
                    Interlocked.Increment(ref _handedOver);
                    cursor = message.Id;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopping
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
    }

    private Task WaitUntilConnectedAsync(CancellationToken cancellationToken)
    {
        if (_client.Status.IsConnected)
        {
            return Task.CompletedTask;
        }

        return WaitForConnectionAsync(cancellationToken);
    }

    private async Task WaitForConnectionAsync(CancellationToken cancellationToken)
    {
        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnStatus(MqttClientStatus status)
        {
            if (status.IsConnected)
            {
                connected.TrySetResult();
            }
        }

        _client.StatusChanged += OnStatus;
        try
        {
            if (_client.Status.IsConnected)
            {
                return;
            }

            await connected.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _client.StatusChanged -= OnStatus;
        }
    }

    private async Task PublishAsync(SpooledMessage message)
    {
        bool counted = false;
        IReadOnlyList<MqttUserProperty> WhenSent()
        {
            if (_time.GetUtcNow() - message.EnqueuedAt < HistoricalAge)
            {
                return [];
            }

            if (!counted)
            {
                counted = true;
                Interlocked.Increment(ref _replayed);
            }

            return HistoricalProperties;
        }

        PublishOutcome outcome = await _client.PublishAsync(
            message.Topic, message.Payload, message.Qos, message.Retain, WhenSent, CancellationToken.None).ConfigureAwait(false);
        switch (outcome.Status)
        {
            case PublishStatus.Written or PublishStatus.Acknowledged:
                _spool.Acknowledge(message.Id);
                break;
            case PublishStatus.Refused or PublishStatus.TooLarge:
                SpoolLog.Refused(_client.Options.Logger, message.Id, message.Topic, outcome.Status);
                _spool.Acknowledge(message.Id);
                break;
            default:
                // Stopped: it stays in the spool and goes out again after the next start.
                break;
        }
    }
}
