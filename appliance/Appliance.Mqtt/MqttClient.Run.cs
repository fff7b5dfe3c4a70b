using System.Net.Sockets;
using System.Security.Authentication;
using Appliance.Mqtt.Client;
using Appliance.Mqtt.Guard;
using MQTTnet;
using MQTTnet.Exceptions;

namespace Appliance.Mqtt;

/// <summary>The connect, serve, back off, reconnect cycle, and how each failure is put into words.</summary>
public sealed partial class MqttClient
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
        var guard = new ConnectionGuard(_options, Now);
        BrokerSession? session = null;
        DateTimeOffset? connectedAt = null;
        try
        {
            Credentials? credentials = _options.CredentialsFile is { } file ? Credentials.Read(file, Now()) : null;
            MQTTnet.MqttClientOptions connect = BrokerOptions.Build(_options, credentials, guard, Now);
            session = new BrokerSession(this, guard);
            MqttClientConnectResult result;
            using (var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time))
            using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(stop, timeout.Token))
            {
                try
                {
                    result = await session.Mqtt.ConnectAsync(connect, connecting.Token);
                }
                catch (Exception e) when (!stop.IsCancellationRequested)
                {
                    throw new MqttConnectionException(ConnectFailure(guard, e, timeout.IsCancellationRequested));
                }
            }

            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                throw new MqttConnectionException(Refusal(result, guard.ConnAckCode, credentials));
            }

            session.Start(result);
            List<SubscribeRequest> subscriptions;
            lock (_gate)
            {
                _connections++;
                _state = MqttConnectionState.Connected;
                _session = session;
                subscriptions = [.. _subscriptions];
            }

            connectedAt = Now();
            Log.Connected(_logger, _brokerText, _options.Protocol == MqttProtocolVersion.V500 ? "5.0" : "3.1.1", session.Window, session.KeepAlive);
            foreach (SubscribeRequest request in subscriptions)
            {
                session.Subscribe(request);
            }

            EnqueueHealth();
            EnqueueInternal(_options.StatusTopic, Utf8(MqttClientOptions.OnlinePayload), MqttQos.AtLeastOnce);
            RaiseStatus();
            MqttError? failure = await session.ServeAsync(stop);
            if (failure is null)
            {
                return null;
            }

            throw new MqttConnectionException(failure);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e)
        {
            MqttError error = e is MqttConnectionException connection ? connection.Error : Unexpected(e);
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
            await EndConnectionAsync(session, guard);
        }
    }

    private async Task EndConnectionAsync(BrokerSession? session, ConnectionGuard guard)
    {
        if (session is not null)
        {
            await session.DisposeAsync();
        }

        List<OutgoingPublish> dropped;
        int requeued;
        lock (_gate)
        {
            _session = null;
            dropped = _queue.RequeueAfterDisconnect();
            requeued = _queue.WaitingCount;
            _peakReceiveBuffer = Math.Max(_peakReceiveBuffer, guard.PeakReceiveBuffer);
        }

        foreach (OutgoingPublish publish in dropped)
        {
            publish.Complete(new PublishOutcome(PublishStatus.Stopped, 0, MqttReasonCode.Success, null));
        }

        if (session is not null && requeued > 0)
        {
            Log.Requeued(_logger, requeued);
        }
    }

    /// <summary>Why ConnectAsync failed: what the guard saw first, then the certificate check, the timeout, the socket.</summary>
    private MqttError ConnectFailure(ConnectionGuard guard, Exception e, bool timedOut)
    {
        MqttError? seen = guard.TlsVerdict ?? guard.Failure;
        if (seen is not null)
        {
            return _options.Broker.UseTls && seen.Kind == MqttErrorKind.ConnectionLost
                ? new MqttError(MqttErrorKind.ConnectionLost, ClosedDuringTlsHandshake(seen.Message), null, Now())
                : seen;
        }

        if (timedOut)
        {
            return new MqttError(
                MqttErrorKind.ConnectTimeout,
                $"no CONNACK from {_options.Broker} within {_options.ConnectTimeout.TotalSeconds:0.###} s (TCP{(_options.Broker.UseTls ? ", TLS" : string.Empty)} and CONNECT)",
                null,
                Now());
        }

        if (_options.Broker.UseTls && (Find<AuthenticationException>(e) ?? (Exception?)Find<IOException>(e)) is { } tls)
        {
            return new MqttError(
                MqttErrorKind.TlsFailure,
                $"TLS handshake with {_options.Broker} failed: {Innermost(tls)}{(_options.Tls.CertFile is null ? " (if the broker requires a client certificate, set cert_file and key_file)" : string.Empty)}",
                null,
                Now());
        }

        if (Find<SocketException>(e) is { } socket)
        {
            if (_options.Broker.UseTls && socket.SocketErrorCode is SocketError.NotConnected or SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown)
            {
                // The TCP connection was up and the broker cut it during or right after the handshake.
                return new MqttError(MqttErrorKind.ConnectionLost, ClosedDuringTlsHandshake(socket.Message), null, Now());
            }

            return socket.SocketErrorCode == SocketError.ConnectionRefused
                ? new MqttError(MqttErrorKind.ConnectionRefused, $"nothing accepts connections at {_options.Broker} (connection refused): is the broker running, and is the port right?", null, Now())
                : new MqttError(MqttErrorKind.NetworkError, $"cannot reach {_options.Broker}: {socket.Message} ({socket.SocketErrorCode})", null, Now());
        }

        return Unexpected(e);
    }

    /// <summary>A CONNACK that refuses the connection, categorized by whether a retry can help.</summary>
    private MqttError Refusal(MqttClientConnectResult result, byte rawCode, Credentials? credentials)
    {
        bool v5 = _options.Protocol == MqttProtocolVersion.V500;
        var code = (MqttReasonCode)(byte)result.ResultCode;
        string wire = v5 ? $"CONNACK reason 0x{rawCode:X2}" : $"CONNACK return code {rawCode}";
        string who = credentials is null
            ? "without credentials (no credentials_file is set)"
            : $"as user \"{credentials.UserName}\" (from {_options.CredentialsFile})";
        (MqttErrorKind kind, string text) = code switch
        {
            MqttReasonCode.BadUserNameOrPassword =>
                (MqttErrorKind.BadCredentials, $"bad credentials: the broker refused the user name or password {who} ({wire}); correct the credentials file"),
            MqttReasonCode.NotAuthorized or MqttReasonCode.Banned =>
                (MqttErrorKind.NotAuthorized, $"not authorized: the broker does not let client \"{_options.ClientId}\" connect {who} ({wire} {code}); {(credentials is null
                    ? "it may require a user name and password: set credentials_file"
                    : "check the user name and password in the credentials file (mosquitto answers a wrong password this way) and the broker's authorization settings")}"),
            MqttReasonCode.UnsupportedProtocolVersion =>
                (MqttErrorKind.ConnectRefused, $"the broker does not speak MQTT {(v5 ? "5.0" : "3.1.1")} ({wire}); set protocol to the other version"),
            MqttReasonCode.ClientIdentifierNotValid =>
                (MqttErrorKind.ConnectRefused, $"the broker refuses the client id \"{_options.ClientId}\" ({wire}); choose another client_id"),
            MqttReasonCode.ServerUnavailable or MqttReasonCode.ServerBusy or MqttReasonCode.ConnectionRateExceeded
                or MqttReasonCode.UseAnotherServer or MqttReasonCode.ServerMoved or MqttReasonCode.QuotaExceeded =>
                (MqttErrorKind.BrokerUnavailable, $"the broker cannot take the connection now ({wire} {code}); retrying with backoff"),
            _ => (MqttErrorKind.ConnectRefused, $"the broker refused the connection ({wire} {code})"),
        };
        if (result.ReasonString is { Length: > 0 } reason)
        {
            text += $"; broker says: {reason}";
        }

        if (result.ServerReference is { Length: > 0 } reference)
        {
            text += $"; it points to {reference}";
        }

        return new MqttError(kind, text, code, Now());
    }

    /// <summary>A TLS broker that drops the connection before CONNACK usually rejected our client certificate, or missed one.</summary>
    private string ClosedDuringTlsHandshake(string what)
    {
        string hint = _options.Tls.CertFile is null
            ? "a broker that requires a client certificate does this when none is configured: set cert_file and key_file"
            : $"if the broker checks client certificates, check that {_options.Tls.CertFile} is signed by a CA the broker trusts and is not expired";
        return $"the broker {_options.Broker} closed the TLS connection before CONNACK ({what}); {hint}";
    }

    private MqttError Unexpected(Exception e)
    {
        switch (e)
        {
            case MqttProtocolViolationException violation:
                return new MqttError(MqttErrorKind.ProtocolViolation, $"the broker broke the protocol, so the connection was dropped: {violation.Message}", MqttReasonCode.ProtocolError, Now());
            case MqttCommunicationException or IOException or SocketException or ObjectDisposedException:
                return new MqttError(MqttErrorKind.ConnectionLost, $"the connection to {_options.Broker} was lost: {Innermost(e)}", null, Now());
            default:
                Log.Unexpected(_logger, e);
                return new MqttError(MqttErrorKind.ConnectionLost, $"the connection to {_options.Broker} failed: {e.GetType().Name}: {e.Message}", null, Now());
        }
    }

    private static T? Find<T>(Exception? e)
        where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static string Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e.Message;
    }
}
