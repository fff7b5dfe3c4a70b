using Appliance.Mqtt.Connection;
using Appliance.Mqtt.Packets;

namespace Appliance.Mqtt;

/// <summary>Subscriptions: sent now if connected, else on the next connection, and renewed after every reconnect (the session is clean).</summary>
public sealed partial class LegacyMqttClient
{
    private readonly List<SubscribeRequest> _subscriptions = [];

    /// <summary>
    /// Subscribes and returns the broker's reason code for each filter, in order (granted QoS, or a refusal ≥ 0x80).
    /// Messages arrive through <see cref="MqttClientOptions.MessageReceived"/>. A SUBACK whose reason codes do not
    /// match the filters is a protocol violation: the connection is dropped and the SUBSCRIBE is sent again.
    /// </summary>
    public async Task<IReadOnlyList<MqttReasonCode>> SubscribeAsync(IReadOnlyList<MqttSubscription> subscriptions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        if (subscriptions.Count == 0)
        {
            throw new ArgumentException("at least one subscription", nameof(subscriptions));
        }

        foreach (MqttSubscription subscription in subscriptions)
        {
            if (MqttTopic.ProblemWithFilter(subscription.TopicFilter) is { } problem)
            {
                throw new ArgumentException($"topic filter {problem}", nameof(subscriptions));
            }

            PacketWriter.MeasureString(subscription.TopicFilter, "topic filter");
        }

        var request = new SubscribeRequest([.. subscriptions]);
        BrokerConnection? connection;
        lock (_gate)
        {
            if (_stopped)
            {
                throw new ObjectDisposedException(nameof(LegacyMqttClient), "the MQTT client has stopped");
            }

            _subscriptions.Add(request);
            connection = _connection;
        }

        if (connection is not null)
        {
            await connection.SendSubscribeAsync(request);
        }

        return await request.Completion.WaitAsync(cancellationToken);
    }

    /// <summary>Every subscription, for a new connection to send; called under the same lock that publishes the connection.</summary>
    internal List<SubscribeRequest> SubscriptionsLocked() => [.. _subscriptions];

    /// <summary>Reserves a packet identifier for a SUBSCRIBE.</summary>
    internal ushort ReservePacketId(SubscribeRequest request)
    {
        lock (_gate)
        {
            request.PacketId = _queue.Reserve();
            return request.PacketId;
        }
    }

    /// <summary>A SUBACK arrived: it must answer an outstanding SUBSCRIBE, with one reason code per filter (MQTT 5.0 §3.9.3).</summary>
    internal void OnSubscribeAcknowledged(SubAckPacket subAck)
    {
        SubscribeRequest? request;
        lock (_gate)
        {
            request = subAck.PacketId == 0 ? null : _subscriptions.Find(s => s.PacketId == subAck.PacketId);
            if (request is not null)
            {
                _queue.Release(subAck.PacketId);
                request.PacketId = 0;
            }
        }

        if (request is null)
        {
            MqttProtocolException.ThrowProtocolError($"SUBACK for packet identifier {subAck.PacketId}, which no outstanding SUBSCRIBE used (MQTT 5.0 §3.9.2)");
        }

        if (subAck.ReasonCodes.Count != request.Subscriptions.Count)
        {
            MqttProtocolException.ThrowProtocolError(
                $"SUBACK carries {subAck.ReasonCodes.Count} reason codes for the {request.Subscriptions.Count} topic filters of the SUBSCRIBE; it must carry one for each (MQTT 5.0 §3.9.3)");
        }

        var codes = new MqttReasonCode[subAck.ReasonCodes.Count];
        for (int i = 0; i < codes.Length; i++)
        {
            codes[i] = (MqttReasonCode)subAck.ReasonCodes[i];
            if (subAck.ReasonCodes[i] >= 0x80)
            {
                Log.SubscriptionRefused(_logger, request.Subscriptions[i].TopicFilter, subAck.ReasonCodes[i]);
            }
        }

        request.Complete(codes);
    }

    /// <summary>Connection lost: outstanding SUBSCRIBEs are sent again on the next connection.</summary>
    private void ResetSubscriptionsLocked()
    {
        foreach (SubscribeRequest request in _subscriptions)
        {
            request.PacketId = 0;
        }
    }
}
