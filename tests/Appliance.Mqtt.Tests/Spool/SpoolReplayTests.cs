using Appliance.Mqtt.Spool;
using Appliance.Mqtt.Tests.Support;
using Appliance.Mqtt.Tests.Wire;
using Appliance.Testing;
using SpoolQueue = Appliance.Mqtt.Spool.Spool;

namespace Appliance.Mqtt.Tests.Spool;

/// <summary>Whether a message is historical is decided as it leaves, re-sends after a reconnect included.</summary>
public sealed class SpoolReplayTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task AMessageHandedOverLiveJustBeforeAnOutageIsMarkedHistoricalWhenItIsResentLater()
    {
        var time = new ManualTimeProvider();
        await using var broker = new ScriptedBroker();
        await using SpoolQueue spool = SpoolQueue.Open(new SpoolOptions { Path = Path.Combine(_directory.Path, "spool.db"), MaxBytes = 1 << 20, TimeProvider = time });
        await using var client = new MqttClient(TestClient.Options(broker.Port, MqttProtocolVersion.V500, time));
        using var stop = new CancellationTokenSource();
        Task running = client.RunAsync(stop.Token);
        var pump = new SpoolPump(spool, client, time);
        Task pumping = pump.RunAsync(stop.Token);
        BrokerPeer first = await broker.NextAsync(MqttProtocolVersion.V500);
        await first.AcceptAsync();
        await first.ExpectAsync<PublishPacket>();

        await spool.EnqueueAsync("plant/line1", "m1"u8.ToArray(), MqttQos.AtLeastOnce, retain: false);
        PublishPacket live = await first.ExpectAsync<PublishPacket>();
        Assert.Empty(live.Properties.UserProperties);
        first.Dispose();
        MqttClientStatus failed = await client.WaitForErrorAsync(MqttErrorKind.ConnectionLost);

        await time.WaitForTimerAsync(due => due == failed.RetryAt, "the reconnect timer");
        time.Advance(TimeSpan.FromSeconds(30));
        BrokerPeer second = await broker.NextAsync(MqttProtocolVersion.V500);
        await second.AcceptAsync();
        await second.ExpectAsync<PublishPacket>();
        PublishPacket resent = await second.ExpectAsync<PublishPacket>();

        Assert.Equal(("m1", true), (System.Text.Encoding.UTF8.GetString(resent.Payload.Span), resent.Dup));
        Assert.Equal([new MqttUserProperty("historical", "true")], resent.Properties.UserProperties);
        await second.SendAsync(new PublishAckPacket { PacketId = resent.PacketId });
        Assert.Equal(1, pump.Replayed);
        await stop.CancelAsync();
        await running.Guarded("the client stopping");
        await pumping.Guarded("the pump stopping");
    }
}
