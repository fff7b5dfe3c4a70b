using System.Diagnostics;
using System.Globalization;
using System.Text;
using Appliance.Mqtt;
using Appliance.Mqtt.Spool;

namespace Appliance.Bench;

/// <summary>
/// <c>appliance bench mqtt</c>: publish throughput through the spool to a broker, at QoS 0 and QoS 1. Every
/// message is committed to a fresh spool (as the gateway's telemetry is), published by the pump through the
/// client, and deleted once written (QoS 0) or acknowledged (QoS 1); the clock stops when the spool is empty.
/// tests/bench/mqtt runs it next to mosquitto_pub sending the same payloads to the same broker.
/// </summary>
internal static class MqttBenchmark
{
    /// <summary>A telemetry-shaped payload of about 200 bytes; <paramref name="seq"/> makes each one distinct.</summary>
    public static byte[] Payload(long seq) => Encoding.UTF8.GetBytes(string.Create(
        CultureInfo.InvariantCulture,
        $"{{\"ts\":1795334127865,\"seq\":{seq},\"device\":\"plc-1\",\"unit\":1,\"group\":\"process\",\"quality\":\"good\",\"values\":{{\"temperature\":18.171303,\"pressure\":2.86,\"pump_running\":true,\"batch\":\"B0000020\"}},\"errors\":{{}}}}"));

    /// <summary>Messages per second through a fresh spool and the client.</summary>
    public static async Task<double> MessagesPerSecondAsync(MqttBrokerEndpoint broker, MqttQos qos, int messages)
    {
        var options = new MqttClientOptions
        {
            Broker = broker,
            ClientId = "appliance-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
            StatusTopic = "appliance-bench/status",
            HealthInterval = null,
        };
        await using var client = new MqttClient(options);
        return await MeasureAsync(client, qos, messages).ConfigureAwait(false);
    }

    private static async Task<double> MeasureAsync(MqttClient client, MqttQos qos, int messages)
    {
        string directory = Directory.CreateTempSubdirectory("appliance-bench-mqtt-").FullName;
        try
        {
            await using Spool spool = Spool.Open(new SpoolOptions { Path = Path.Combine(directory, "spool.db"), MaxBytes = 1L << 30 });
            using var stop = new CancellationTokenSource();
            Task running = client.RunAsync(stop.Token);
            var pump = new SpoolPump(spool, client) { ReplayRate = int.MaxValue, HistoricalAge = TimeSpan.MaxValue };
            Task pumping = pump.RunAsync(stop.Token);
            await WaitAsync(() => client.Status.IsConnected, "the broker did not accept the connection").ConfigureAwait(false);

            byte[][] payloads = [.. Enumerable.Range(0, messages).Select(i => Payload(i))];
            var clock = Stopwatch.StartNew();
            var commits = new List<Task<long>>(messages);
            foreach (byte[] payload in payloads)
            {
                commits.Add(spool.EnqueueAsync("appliance-bench/telemetry", payload, qos, retain: false));
            }

            await Task.WhenAll(commits).ConfigureAwait(false);
            await WaitAsync(() => spool.Counters.Queued == 0, "the spool did not drain").ConfigureAwait(false);
            double seconds = clock.Elapsed.TotalSeconds;
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(running, pumping).ConfigureAwait(false);
            return messages / seconds;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task WaitAsync(Func<bool> condition, string failure)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException(failure);
            }

            await Task.Delay(1).ConfigureAwait(false);
        }
    }
}
