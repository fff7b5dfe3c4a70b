namespace Appliance.Mqtt.Tests.Support;

/// <summary>Waits for the client's status to satisfy a condition; the real-time guard only fails the test.</summary>
internal static class StatusProbe
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    public static async Task<MqttClientStatus> WaitForAsync(this MqttClient client, Func<MqttClientStatus, bool> condition, string what)
    {
        var reached = new TaskCompletionSource<MqttClientStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(MqttClientStatus _)
        {
            MqttClientStatus now = client.Status;
            if (condition(now))
            {
                reached.TrySetResult(now);
            }
        }

        client.StatusChanged += OnChanged;
        try
        {
            OnChanged(client.Status);
            return await reached.Task.WaitAsync(Guard);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the client never reached: {what}; status: {client.Status}");
        }
        finally
        {
            client.StatusChanged -= OnChanged;
        }
    }

    public static Task<MqttClientStatus> WaitForErrorAsync(this MqttClient client, MqttErrorKind kind) =>
        client.WaitForAsync(s => s.State == MqttConnectionState.WaitingToReconnect && s.LastError?.Kind == kind, $"waiting to reconnect after {kind}");

    public static Task<MqttClientStatus> WaitForConnectionsAsync(this MqttClient client, long count) =>
        client.WaitForAsync(s => s.State == MqttConnectionState.Connected && s.Connections >= count, $"connected {count} times");

    /// <summary>Awaits <paramref name="task"/>; the real-time guard turns a hang into a failure that names <paramref name="what"/>.</summary>
    public static async Task<T> Guarded<T>(this Task<T> task, string what)
    {
        try
        {
            return await task.WaitAsync(Guard);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{what} did not happen in time");
        }
    }

    public static async Task Guarded(this Task task, string what)
    {
        try
        {
            await task.WaitAsync(Guard);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{what} did not happen in time");
        }
    }
}
