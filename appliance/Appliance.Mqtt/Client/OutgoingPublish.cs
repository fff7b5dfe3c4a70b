namespace Appliance.Mqtt.Client;

/// <summary>
/// One publication from the moment <see cref="MqttClient.PublishAsync(string, ReadOnlyMemory{byte}, MqttQos, bool, CancellationToken)"/>
/// accepts it until it completes. A QoS 1 publication not acknowledged when its connection drops goes back in the
/// queue and is sent again on the next connection with DUP set.
/// </summary>
internal sealed class OutgoingPublish
{
    private readonly TaskCompletionSource<PublishOutcome> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public required string Topic { get; init; }

    public required ReadOnlyMemory<byte> Payload { get; init; }

    public required MqttQos Qos { get; init; }

    public required bool Retain { get; init; }

    public IReadOnlyList<MqttUserProperty> UserProperties { get; init; } = [];

    /// <summary>When set, asked for the User Properties each time the PUBLISH leaves (re-sends included) instead of <see cref="UserProperties"/>.</summary>
    public Func<IReadOnlyList<MqttUserProperty>>? UserPropertiesWhenSent { get; init; }

    /// <summary>The User Properties for a PUBLISH leaving now.</summary>
    public IReadOnlyList<MqttUserProperty> PropertiesNow() => UserPropertiesWhenSent?.Invoke() ?? UserProperties;

    /// <summary>Order of acceptance; re-queued publications go back in this order.</summary>
    public required long Sequence { get; init; }

    /// <summary>The client's own messages (birth, health): not re-sent after a reconnect, which sends fresh ones.</summary>
    public bool Internal { get; init; }

    /// <summary>Set once the PUBLISH may have reached the broker: every later send carries DUP (MQTT 5.0 §3.3.1.1).</summary>
    public bool Dup { get; set; }

    public CancellationTokenRegistration Cancellation { get; set; }

    public Task<PublishOutcome> Completion => _completion.Task;

    public bool Complete(PublishOutcome outcome)
    {
        Cancellation.Dispose();
        return _completion.TrySetResult(outcome);
    }

    public bool Cancel(CancellationToken token) => _completion.TrySetCanceled(token);
}
