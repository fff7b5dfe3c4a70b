namespace Appliance.Mqtt.Client;

/// <summary>Subscriptions asked for by one SubscribeAsync call: sent on every connection, completed by the first SUBACK.</summary>
internal sealed class SubscribeRequest
{
    private readonly TaskCompletionSource<IReadOnlyList<MqttReasonCode>> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SubscribeRequest(IReadOnlyList<MqttSubscription> subscriptions)
    {
        Subscriptions = subscriptions;
    }

    public IReadOnlyList<MqttSubscription> Subscriptions { get; }

    public Task<IReadOnlyList<MqttReasonCode>> Completion => _completion.Task;

    public void Complete(IReadOnlyList<MqttReasonCode> codes) => _completion.TrySetResult(codes);

    public void Fail(Exception exception) => _completion.TrySetException(exception);
}
