using System.Diagnostics;

namespace Appliance.Mqtt;

/// <summary>
/// A measurement helper for the future <c>appliance bench mqtt</c>: publishes <c>count</c> messages through a
/// running client as fast as it accepts them and reports the rate. Not a test: numbers go in the benchmark note,
/// measured beside <c>mosquitto_pub</c> in the same run (STYLE.md, "Benchmarks").
/// </summary>
public static class PublishThroughput
{
    public static async Task<PublishThroughputResult> MeasureAsync(
        MqttClient client, string topic, int count, int payloadBytes, MqttQos qos, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegative(payloadBytes);
        byte[] payload = new byte[payloadBytes];
        var outcomes = new Task<PublishOutcome>[count];
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < count; i++)
        {
            outcomes[i] = client.PublishAsync(topic, payload, qos, retain: false, cancellationToken).AsTask();
        }

        PublishOutcome[] done = await Task.WhenAll(outcomes);
        TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
        return new PublishThroughputResult(count, done.Count(o => o.Delivered), elapsed);
    }
}
