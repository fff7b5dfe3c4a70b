using Appliance.Mqtt.Client;
using MQTTnet;

namespace Appliance.Mqtt;

/// <summary>Subscriptions: sent now if connected, else on the next connection, and renewed after every reconnect (the session is clean).</summary>
public sealed partial class MqttClient
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
            if (MqttText.ProblemWithTopicFilter(subscription.TopicFilter) is { } problem)
            {
                throw new ArgumentException($"topic filter {problem}", nameof(subscriptions));
            }
        }

        var request = new SubscribeRequest([.. subscriptions]);
        BrokerSession? session;
        lock (_gate)
        {
            if (_stopped)
            {
                throw new ObjectDisposedException(nameof(MqttClient), "the MQTT client has stopped");
            }

            _subscriptions.Add(request);
            session = _session;
        }

        session?.Subscribe(request);
        return await request.Completion.WaitAsync(cancellationToken);
    }

    /// <summary>The SUBACK for <paramref name="request"/> (its count already checked by the guard): one reason code per filter.</summary>
    internal void OnSubscribed(SubscribeRequest request, MqttClientSubscribeResult result)
    {
        var codes = new MqttReasonCode[result.Items.Count];
        for (int i = 0; i < codes.Length; i++)
        {
            codes[i] = (MqttReasonCode)(byte)result.Items.ElementAt(i).ResultCode;
            if ((byte)codes[i] >= 0x80)
            {
                Log.SubscriptionRefused(_logger, request.Subscriptions[i].TopicFilter, (byte)codes[i]);
            }
        }

        request.Complete(codes);
    }
}
