using Appliance.Mqtt.Tests.Support;
using Appliance.Testing;

namespace Appliance.Mqtt.Tests.RealBroker;

/// <summary>Plain TCP against a real mosquitto; what arrives is checked by two other implementations, mosquitto_sub and paho-mqtt.</summary>
public sealed class MosquittoPublishTests
{
    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task MessagesAtQos0AndQos1ReachMosquittoSubAndPahoInOrder(MqttProtocolVersion version)
    {
        using var broker = Mosquitto.Start();
        using var mosquittoSub = Subscriber.Mosquitto(broker.Port, "plant/#");
        using var paho = Subscriber.Paho(broker.Port, "plant/#");
        await using var client = new MqttClient(TestClient.Options(broker.Port, version, TimeProvider.System));
        using var stop = new CancellationTokenSource();
        Task run = client.RunAsync(stop.Token);

        var expected = new List<string>();
        var packetIds = new HashSet<ushort>();
        for (int seq = 0; seq < 40; seq++)
        {
            MqttQos qos = seq % 2 == 0 ? MqttQos.AtMostOnce : MqttQos.AtLeastOnce;
            string payload = $$"""{"seq":{{seq}},"qos":{{(int)qos}},"text":"Kessel °C"}""";
            PublishOutcome outcome = await client.PublishAsync("plant/line1", System.Text.Encoding.UTF8.GetBytes(payload), qos, retain: false).AsTask().Guarded("a publication");
            Assert.Equal(qos == MqttQos.AtMostOnce ? PublishStatus.Written : PublishStatus.Acknowledged, outcome.Status);
            if (qos == MqttQos.AtLeastOnce)
            {
                Assert.True(packetIds.Add(outcome.PacketId));
            }

            expected.Add("plant/line1 " + payload);
        }

        Assert.Equal(expected, mosquittoSub.Next(expected.Count));
        Assert.Equal(expected, paho.Next(expected.Count));
        Assert.Equal(40, client.Status.Published);
        Assert.Equal(1, client.Status.ConnectAttempts);

        await stop.CancelAsync();
        await run.Guarded("the client stopping");
        Assert.Equal("offline", await Retained.ReadAsync(broker.Port, TestClient.StatusTopic));
    }

    [Fact]
    public async Task UserPropertiesReachAFiveZeroSubscriber()
    {
        using var broker = Mosquitto.Start();
        using var watcher = ChildProcess.Start("/usr/bin/stdbuf", ["-oL", "/usr/bin/mosquitto_sub", "-h", "127.0.0.1", "-p", $"{broker.Port}", "-t", "plant/#", "-V", "5", "-F", "%t %P %p", "-d"]);
        watcher.WaitForStdoutLine("Subscribed (");
        await using var client = new MqttClient(TestClient.Options(broker.Port, MqttProtocolVersion.V500, TimeProvider.System));
        using var stop = new CancellationTokenSource();
        Task run = client.RunAsync(stop.Token);

        PublishOutcome outcome = await client.PublishAsync("plant/replay", "old"u8.ToArray(), MqttQos.AtLeastOnce, retain: false, [new("historical", "true")]).AsTask().Guarded("the publication");

        Assert.Equal(PublishStatus.Acknowledged, outcome.Status);
        Assert.Equal("plant/replay historical:true old", watcher.WaitForStdoutLine("plant/replay h", TimeSpan.FromSeconds(20)));
        await stop.CancelAsync();
        await run.Guarded("the client stopping");
    }
}
