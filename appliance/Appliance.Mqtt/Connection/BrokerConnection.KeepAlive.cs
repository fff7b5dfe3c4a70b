using Appliance.Mqtt.Packets;

namespace Appliance.Mqtt.Connection;

/// <summary>Keep-alive (MQTT 5.0 §3.1.2.10, §3.12, §3.13) and the periodic health message.</summary>
internal sealed partial class BrokerConnection
{
    /// <summary>
    /// Sends PINGREQ every keep-alive interval and waits for PINGRESP up to the ping timeout; silence means the
    /// connection (or the broker) is dead, so it is dropped and the client reconnects. The deadline is armed
    /// before the PINGREQ is written, so a broker that stops reading (the write never completes) is caught too.
    /// All waits use the client's <see cref="TimeProvider"/>.
    /// </summary>
    private async Task KeepAliveLoopAsync(CancellationToken cancellationToken)
    {
        if (KeepAlive == TimeSpan.Zero)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return;
        }

        TimeSpan timeout = _options.EffectivePingTimeout(KeepAlive);
        while (true)
        {
            await Task.Delay(KeepAlive, _time, cancellationToken);
            var pong = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _pong, pong);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Task deadline = Task.Delay(timeout, _time, wait.Token);
            Task ping = PingAsync(pong.Task, timeout, cancellationToken);
            Task first = await Task.WhenAny(ping, deadline);
            await wait.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
            if (first != ping)
            {
                throw new MqttConnectionException(new MqttError(
                    MqttErrorKind.KeepAliveTimeout,
                    $"no PINGRESP from {_options.Broker} within {timeout.TotalSeconds:0.###} s of a PINGREQ (the broker is silent, or not reading); the connection is presumed dead",
                    null,
                    _client.Now()));
            }

            await ping;
        }
    }

    private async Task PingAsync(Task pong, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await WriteAsync(PingReqPacket.Instance, cancellationToken);
        Log.PingSent(_logger, timeout);
        await pong;
    }

    private async Task HealthLoopAsync(CancellationToken cancellationToken)
    {
        if (_options.HealthInterval is not { } interval)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return;
        }

        while (true)
        {
            await Task.Delay(interval, _time, cancellationToken);
            _client.EnqueueHealth();
        }
    }
}
