using System.Net.Sockets;
using Appliance.Mqtt.Connection;

namespace Appliance.Mqtt;

/// <summary>The connect, serve, back off, reconnect cycle, and how each failure is put into words.</summary>
public sealed partial class LegacyMqttClient
{
    /// <summary>
    /// Connects and keeps the client connected until <paramref name="cancellationToken"/> is cancelled (or the
    /// client is disposed). Failures never escape: each is recorded in <see cref="Status"/>, logged, and followed
    /// by a backoff delay: exponential with jitter, and at least <see cref="MqttClientOptions.RefusedBackoff"/>
    /// when the broker refuses us for a reason only a person can fix. On cancellation a connected client
    /// publishes "offline" and disconnects; publications still pending complete with <see cref="PublishStatus.Stopped"/>.
    /// </summary>
    public Task RunAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("RunAsync runs once per client; create a new client to run again");
        }

        Task run = RunCoreAsync(cancellationToken);
        lock (_gate)
        {
            _run = run;
        }

        return run;
    }

    private async Task RunCoreAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                MqttError? error = await ConnectAndServeAsync(stop.Token);
                if (error is null)
                {
                    break;
                }

                TimeSpan delay = _backoff.NextDelay(error.NeedsAttention);
                lock (_gate)
                {
                    _state = MqttConnectionState.WaitingToReconnect;
                    _retryDelay = delay;
                    _retryAt = Now() + delay;
                }

                if (error.NeedsAttention)
                {
                    Log.NeedsAttention(_logger, _brokerText, error, delay);
                }
                else
                {
                    Log.ConnectionFailed(_logger, _brokerText, error, delay);
                }

                RaiseStatus();
                await Task.Delay(delay, _time, stop.Token);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // stopped while waiting to reconnect
        }
        finally
        {
            CompleteStop();
        }
    }

    /// <summary>One connection: returns null when it ended because it was asked to stop, or the reason it failed.</summary>
    private async Task<MqttError?> ConnectAndServeAsync(CancellationToken stop)
    {
        long attempt;
        lock (_gate)
        {
            attempt = ++_attempts;
            _state = MqttConnectionState.Connecting;
            _retryAt = null;
            _retryDelay = null;
        }

        RaiseStatus();
        Log.Connecting(_logger, _brokerText, _options.ClientId, attempt);
        BrokerConnection? connection = null;
        DateTimeOffset? connectedAt = null;
        try
        {
            Credentials? credentials = _options.CredentialsFile is { } file ? Credentials.Read(file, Now()) : null;
            using (var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time))
            using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(stop, timeout.Token))
            {
                try
                {
                    Stream stream = await BrokerTransport.ConnectAsync(_options, Now, connecting.Token);
                    connection = new BrokerConnection(this, stream);
                    await connection.HandshakeAsync(credentials, connecting.Token);
                }
                catch (Exception e) when (_options.Broker.UseTls && e is IOException or MqttConnectionException { Error.Kind: MqttErrorKind.ConnectionLost })
                {
                    throw new MqttConnectionException(new MqttError(MqttErrorKind.ConnectionLost, ClosedDuringTlsHandshake(e), null, Now()));
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested && !stop.IsCancellationRequested)
                {
                    throw new MqttConnectionException(new MqttError(
                        MqttErrorKind.ConnectTimeout,
                        $"no CONNACK from {_options.Broker} within {_options.ConnectTimeout.TotalSeconds:0.###} s (TCP{(_options.Broker.UseTls ? ", TLS" : string.Empty)} and CONNECT)",
                        null,
                        Now()));
                }
            }

            List<SubscribeRequest> subscriptions;
            lock (_gate)
            {
                _connections++;
                _state = MqttConnectionState.Connected;
                _connection = connection;
                subscriptions = SubscriptionsLocked();
            }

            connectedAt = Now();
            Log.Connected(_logger, _brokerText, _options.Protocol == MqttProtocolVersion.V500 ? "5.0" : "3.1.1", connection.Window, connection.KeepAlive);
            EnqueueHealth();
            EnqueueInternal(_options.StatusTopic, Utf8(MqttClientOptions.OnlinePayload), MqttQos.AtLeastOnce);
            RaiseStatus();
            foreach (SubscribeRequest request in subscriptions)
            {
                await connection.SendSubscribeAsync(request);
            }

            await connection.ServeAsync(stop);
            return null;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e)
        {
            MqttError error = Categorize(e);
            lock (_gate)
            {
                _lastError = error;
            }

            if (connectedAt is { } since && Now() - since >= _options.StableAfter)
            {
                _backoff.Reset();
            }

            return error;
        }
        finally
        {
            await EndConnectionAsync(connection);
        }
    }

    private async Task EndConnectionAsync(BrokerConnection? connection)
    {
        List<OutgoingPublish> dropped;
        int requeued;
        lock (_gate)
        {
            _connection = null;
            dropped = _queue.RequeueAfterDisconnect(connection?.TakeUnwritten() ?? []);
            requeued = _queue.WaitingCount;
            ResetSubscriptionsLocked();
            _peakReceiveBuffer = Math.Max(_peakReceiveBuffer, connection?.ReceiveBufferPeak ?? 0);
        }

        foreach (OutgoingPublish publish in dropped)
        {
            publish.Complete(new PublishOutcome(PublishStatus.Stopped, 0, MqttReasonCode.Success, null));
        }

        if (connection is not null)
        {
            if (requeued > 0)
            {
                Log.Requeued(_logger, requeued);
            }

            await connection.DisposeAsync();
        }
    }

    /// <summary>A TLS broker that drops the connection before CONNACK usually rejected our client certificate, or missed one.</summary>
    private string ClosedDuringTlsHandshake(Exception e)
    {
        string hint = _options.Tls.CertFile is null
            ? "a broker that requires a client certificate does this when none is configured: set cert_file and key_file"
            : $"if the broker checks client certificates, check that {_options.Tls.CertFile} is signed by a CA the broker trusts and is not expired";
        return $"the broker {_options.Broker} closed the TLS connection before CONNACK ({e.Message}); {hint}";
    }

    private MqttError Categorize(Exception e)
    {
        switch (e)
        {
            case MqttConnectionException connection:
                return connection.Error;
            case MqttProtocolException protocol:
                return new MqttError(
                    MqttErrorKind.ProtocolViolation, $"the broker broke the protocol, so the connection was dropped: {protocol.Message}", protocol.ReasonCode, Now());
            case IOException or SocketException or ObjectDisposedException:
                return new MqttError(MqttErrorKind.ConnectionLost, $"the connection to {_options.Broker} was lost: {e.Message}", null, Now());
            default:
                Log.Unexpected(_logger, e);
                return new MqttError(MqttErrorKind.ConnectionLost, $"the connection to {_options.Broker} failed: {e.GetType().Name}: {e.Message}", null, Now());
        }
    }
}
