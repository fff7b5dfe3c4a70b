using System.Text.Json;
using Appliance.Mqtt.Tests.Support;
using Appliance.Testing;

namespace Appliance.Mqtt.Tests.RealBroker;

/// <summary>The status topic as an operator sees it in a real mosquitto: birth, Last Will, goodbye, health.</summary>
public sealed class MosquittoWillTests
{
    private const string Status = TestClient.StatusTopic;

    [Theory]
    [InlineData(MqttProtocolVersion.V500)]
    [InlineData(MqttProtocolVersion.V311)]
    public async Task AbruptlyLostConnectionLeavesOfflineRetainedAndTheReconnectSaysOnline(MqttProtocolVersion version)
    {
        using var broker = Mosquitto.Start();
        await using var relay = new TcpRelay(broker.Port);
        using var watcher = Subscriber.Mosquitto(broker.Port, Status);
        var time = new ManualTimeProvider();
        await using var client = new MqttClient(TestClient.Options(relay.Port, version, time));
        _ = client.RunAsync(CancellationToken.None);
        watcher.WaitFor($"{Status} online");
        Assert.Equal("online", await Retained.ReadAsync(broker.Port, Status));

        relay.SeverAll();

        watcher.WaitFor($"{Status} offline");
        Assert.Equal("offline", await Retained.ReadAsync(broker.Port, Status));
        MqttClientStatus lost = await client.WaitForErrorAsync(MqttErrorKind.ConnectionLost);

        await time.AdvanceToTimerAsync(lost.RetryAt!.Value);
        watcher.WaitFor($"{Status} online");
        Assert.Equal("online", await Retained.ReadAsync(broker.Port, Status));
        Assert.Equal(1, (await client.WaitForConnectionsAsync(2)).Reconnects);
    }

    [Fact]
    public async Task CleanStopLeavesOfflineRetained()
    {
        using var broker = Mosquitto.Start();
        await using var client = new MqttClient(TestClient.Options(broker.Port, MqttProtocolVersion.V500, TimeProvider.System));
        using var stop = new CancellationTokenSource();
        Task run = client.RunAsync(stop.Token);
        await client.WaitForConnectionsAsync(1);
        Assert.Equal(PublishStatus.Acknowledged, (await client.PublishAsync("plant/x", "1"u8.ToArray(), MqttQos.AtLeastOnce, false).AsTask().Guarded("a publication")).Status);

        await stop.CancelAsync();
        await run.Guarded("the client stopping");

        Assert.Equal("offline", await Retained.ReadAsync(broker.Port, Status));
        Assert.Equal(MqttConnectionState.Stopped, client.Status.State);
        Assert.Equal(PublishStatus.Stopped, (await client.PublishAsync("plant/x", "2"u8.ToArray(), MqttQos.AtLeastOnce, false)).Status);
    }

    [Fact]
    public async Task HealthIsRetainedBesideTheStatusWithTheSpoolCounters()
    {
        using var broker = Mosquitto.Start();
        var time = new ManualTimeProvider();
        MqttClientOptions options = TestClient.Options(broker.Port, MqttProtocolVersion.V500, time, health: TimeSpan.FromSeconds(20));
        await using var client = new MqttClient(new MqttClientOptions
        {
            Broker = options.Broker,
            ClientId = options.ClientId,
            StatusTopic = options.StatusTopic,
            HealthInterval = options.HealthInterval,
            TimeProvider = time,
            SpoolCounters = () => new MqttSpoolCounters(Queued: 12, Dropped: 3),
        });
        _ = client.RunAsync(CancellationToken.None);
        await client.WaitForConnectionsAsync(1);
        Assert.Equal(PublishStatus.Acknowledged, (await client.PublishAsync("plant/x", "1"u8.ToArray(), MqttQos.AtLeastOnce, false).AsTask().Guarded("a publication")).Status);

        // Less than the keep-alive (30 s): jumping past it would fire the PINGRESP deadline before the broker can answer.
        await time.AdvanceToTimerAsync(TimeSpan.FromSeconds(20));
        using var watcher = ChildProcess.Start("/usr/bin/stdbuf", ["-oL", "/usr/bin/mosquitto_sub", "-h", "127.0.0.1", "-p", $"{broker.Port}", "-t", options.HealthTopic]);
        string line = watcher.WaitForStdoutLine("\"published\":1");

        using JsonDocument health = JsonDocument.Parse(line);
        JsonElement root = health.RootElement;
        Assert.Equal("online", root.GetProperty("status").GetString());
        Assert.Equal((12, 3, 0), (root.GetProperty("queued").GetInt64(), root.GetProperty("dropped").GetInt64(), root.GetProperty("reconnects").GetInt64()));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("last_error").ValueKind);
        Assert.Equal("online", await Retained.ReadAsync(broker.Port, Status));
    }
}
