using Appliance.Testing;
using Appliance.Mqtt.Tests.Wire;
using Appliance.Mqtt.Tests.Support;

namespace Appliance.Mqtt.Tests.Client;

/// <summary>
/// The hostile-broker catalogue of issue 5: a scripted broker misbehaves after (or instead of) CONNACK while a
/// QoS 1 message is in flight. Every case must end with the connection dropped by the client, the reason in the
/// status, the receive buffer bounded, a reconnect after the backoff, and the message re-sent with DUP.
/// </summary>
public sealed class HostileBrokerTests
{
    private const MqttProtocolVersion V5 = MqttProtocolVersion.V500;
    private const MqttProtocolVersion V3 = MqttProtocolVersion.V311;

    private static readonly Dictionary<string, HostileCase> AfterConnAck = new()
    {
        ["a Remaining Length with a fifth continuation byte"] = new(V5, Bytes("30 80 80 80 80 01"), MqttErrorKind.ProtocolViolation, "fifth byte"),
        ["a Remaining Length claiming 256 MB"] = new(V3, (peer, _) => peer.SendAsync([.. Codec.Hex("30 FF FF FF 7F 00 01 61"), .. new byte[8192]]), MqttErrorKind.ProtocolViolation, "exceeds the maximum packet size of 65536"),
        ["a PUBLISH just over the maximum packet size"] = new(V5, (peer, _) => peer.SendAsync(new PublishPacket { Topic = "big", Payload = new byte[TestClient.MaximumPacketSize] }), MqttErrorKind.ProtocolViolation, "exceeds the maximum packet size"),
        ["reserved flag bits on PINGRESP"] = new(V3, Bytes("D1 00"), MqttErrorKind.ProtocolViolation, "reserved fixed-header flags"),
        ["reserved flag bits on PUBACK"] = new(V5, (peer, sent) => peer.SendAsync([0x42, 0x02, (byte)(sent.PacketId >> 8), (byte)sent.PacketId]), MqttErrorKind.ProtocolViolation, "reserved fixed-header flags"),
        ["a second CONNACK"] = new(V5, (peer, _) => peer.SendAsync(new ConnAckPacket()), MqttErrorKind.ProtocolViolation, "second CONNACK"),
        ["a PUBACK for an unknown packet id"] = new(V3, (peer, sent) => peer.SendAsync(new PublishAckPacket { PacketId = (ushort)(sent.PacketId + 100) }), MqttErrorKind.ProtocolViolation, "not in flight"),
        ["a topic that is not UTF-8 (an encoded surrogate)"] = new(V3, Bytes("30 05 00 03 ED A0 80"), MqttErrorKind.ProtocolViolation, "not well-formed UTF-8"),
        ["a reason string that is not UTF-8"] = new(V5, (peer, sent) => peer.SendAsync([0x40, 0x08, (byte)(sent.PacketId >> 8), (byte)sent.PacketId, 0x00, 0x04, 0x1F, 0x00, 0x01, 0xC0]), MqttErrorKind.ProtocolViolation, "not well-formed UTF-8"),
        ["duplicate properties"] = new(V5, (peer, sent) => peer.SendAsync([0x40, 0x0C, (byte)(sent.PacketId >> 8), (byte)sent.PacketId, 0x00, 0x08, 0x1F, 0x00, 0x01, 0x61, 0x1F, 0x00, 0x01, 0x62]), MqttErrorKind.ProtocolViolation, "appears more than once"),
        ["a QoS 2 PUBLISH"] = new(V3, (peer, _) => peer.SendAsync(new PublishPacket { Topic = "cmd", Qos = 2, PacketId = 9, Payload = "x"u8.ToArray() }), MqttErrorKind.ProtocolViolation, "QoS 2 is refused"),
        ["a PUBREC"] = new(V5, (peer, sent) => peer.SendAsync(new PublishAckPacket { Kind = MqttPacketType.PubRec, PacketId = sent.PacketId }), MqttErrorKind.ProtocolViolation, "QoS 2 flow"),
        ["an AUTH"] = new(V5, Bytes("F0 00"), MqttErrorKind.ProtocolViolation, "AUTH"),
        ["a Topic Alias"] = new(V5, (peer, _) => peer.SendAsync(new PublishPacket { Topic = "a", Properties = new MqttProperties { TopicAlias = 1 } }), MqttErrorKind.ProtocolViolation, "Topic Alias"),
        ["a packet only clients send"] = new(V3, Bytes("C0 00"), MqttErrorKind.ProtocolViolation, "only a client sends"),
        ["a DISCONNECT with a reason"] = new(V5, (peer, _) => peer.SendAsync(new DisconnectPacket { ReasonCode = 0x8B, Properties = new MqttProperties { ReasonString = "maintenance" } }), MqttErrorKind.BrokerDisconnected, "ServerShuttingDown: maintenance"),
        ["the connection closed between packets"] = new(V3, (peer, _) => { peer.Dispose(); return Task.CompletedTask; }, MqttErrorKind.ConnectionLost, "closed the connection"),
    };

    public static TheoryData<string> AfterConnAckCases() => [.. AfterConnAck.Keys];

    [Theory]
    [MemberData(nameof(AfterConnAckCases))]
    public async Task HostilePacketAfterConnAckIsSurvivedAndTheUnacknowledgedMessageIsResent(string name)
    {
        HostileCase hostile = AfterConnAck[name];
        await using var broker = new ScriptedBroker();
        var time = new ManualTimeProvider();
        await using var client = new MqttClient(TestClient.Options(broker.Port, hostile.Version, time));
        ValueTask<PublishOutcome> pending = client.PublishAsync("plant/line1", "m1"u8.ToArray(), MqttQos.AtLeastOnce, retain: false);
        _ = client.RunAsync(CancellationToken.None);

        BrokerPeer first = await broker.NextAsync(hostile.Version);
        await first.AcceptAsync();
        PublishPacket birth = await first.ExpectAsync<PublishPacket>();
        PublishPacket sent = await first.ExpectAsync<PublishPacket>();
        Assert.Equal((TestClient.StatusTopic, "online"), (birth.Topic, Text(birth)));
        Assert.Equal(("m1", false), (Text(sent), sent.Dup));

        await hostile.Script(first, sent);

        MqttClientStatus failed = await client.WaitForErrorAsync(hostile.Kind);
        Assert.Contains(hostile.Says, failed.LastError!.Message, StringComparison.Ordinal);
        await first.ReadUntilClosedAsync().Guarded("the client closing the connection");
        Assert.InRange(client.PeakReceiveBuffer, 1, TestClient.MaximumPacketSize);
        Assert.False(pending.IsCompleted);

        await ReconnectAndExpectResentAsync(broker, time, client, failed, hostile.Version, sent, pending);
    }

    [Fact]
    public async Task RemainingLengthClaiming256MegabytesNeverGrowsTheReceiveBuffer()
    {
        await using var broker = new ScriptedBroker();
        var time = new ManualTimeProvider();
        await using var client = new MqttClient(TestClient.Options(broker.Port, V5, time));
        _ = client.RunAsync(CancellationToken.None);
        BrokerPeer peer = await broker.NextAsync(V5);
        await peer.AcceptAsync();

        await peer.SendAsync([.. Codec.Hex("30 FF FF FF 7F 00 01 61"), .. new byte[32 * 1024]]);

        MqttClientStatus failed = await client.WaitForErrorAsync(MqttErrorKind.ProtocolViolation);
        Assert.Equal(MqttReasonCode.PacketTooLarge, failed.LastError!.ReasonCode);
        Assert.Equal(4096, client.PeakReceiveBuffer);
    }

    public static TheoryData<string, int> Truncations()
    {
        var data = new TheoryData<string, int>();

        // CONNACK 5.0: type | length | flags | reason | property length | Receive Maximum (3) | Reason String (5).
        foreach (int cut in new[] { 1, 2, 3, 4, 5, 6, 8, 10 })
        {
            data.Add("CONNACK", cut);
        }

        // PUBLISH 5.0 QoS 1: type | length | topic length | topic | packet id | property length | user property (7) | payload.
        foreach (int cut in new[] { 1, 2, 3, 4, 7, 9, 10, 13, 17, 18 })
        {
            data.Add("PUBLISH", cut);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Truncations))]
    public async Task PacketTruncatedAtAFieldBoundaryByAClosedConnectionIsReportedAndSurvived(string packet, int cut)
    {
        byte[] connAck = Codec.Encode(new ConnAckPacket { Properties = new MqttProperties { ReceiveMaximum = 10, ReasonString = "ok" } }, V5);
        var publish = new PublishPacket { Topic = "t/1", Qos = 1, PacketId = 7, Payload = "xyz"u8.ToArray() };
        publish.Properties.UserProperties.Add(new MqttUserProperty("k", "v"));
        byte[] bytes = packet == "CONNACK" ? connAck : Codec.Encode(publish, V5);
        Assert.InRange(cut, 1, bytes.Length - 1);

        await using var broker = new ScriptedBroker();
        var time = new ManualTimeProvider();
        await using var client = new MqttClient(TestClient.Options(broker.Port, V5, time));
        ValueTask<PublishOutcome> pending = client.PublishAsync("plant/line1", "m1"u8.ToArray(), MqttQos.AtLeastOnce, retain: false);
        _ = client.RunAsync(CancellationToken.None);

        BrokerPeer first = await broker.NextAsync(V5);
        await first.ExpectAsync<ConnectPacket>();
        PublishPacket? sent = null;
        if (packet == "PUBLISH")
        {
            await first.SendAsync(connAck);
            await first.ExpectAsync<PublishPacket>();
            sent = await first.ExpectAsync<PublishPacket>();
        }

        await first.SendAsync(bytes[..cut]);
        first.Dispose();

        MqttClientStatus failed = await client.WaitForErrorAsync(MqttErrorKind.ConnectionLost);
        Assert.Contains($"in the middle of a packet: {packet}", failed.LastError!.Message, StringComparison.Ordinal);
        await ReconnectAndExpectResentAsync(broker, time, client, failed, V5, sent, pending);
    }

    [Theory]
    [InlineData("a PUBLISH before CONNACK", "30 06 00 01 61 00 68 69", MqttErrorKind.ProtocolViolation, "sent PUBLISH before CONNACK")]
    [InlineData("CONNACK with reserved flag bits", "20 03 02 00 00", MqttErrorKind.ProtocolViolation, "reserved acknowledge flag")]
    [InlineData("CONNACK with a fifth length byte", "20 83 80 80 80 00", MqttErrorKind.ProtocolViolation, "fifth byte")]
    [InlineData("CONNACK with Session Present on a clean start", "20 03 01 00 00", MqttErrorKind.ProtocolViolation, "Session Present")]
    [InlineData("CONNACK with duplicate properties", "20 09 00 00 06 21 00 0A 21 00 0A", MqttErrorKind.ProtocolViolation, "appears more than once")]
    [InlineData("CONNACK with a Maximum QoS of 2", "20 05 00 00 02 24 02", MqttErrorKind.ProtocolViolation, "must be 0 or 1")]
    public async Task HostileAnswerToConnectIsSurvived(string name, string hex, MqttErrorKind kind, string says)
    {
        await using var broker = new ScriptedBroker();
        var time = new ManualTimeProvider();
        await using var client = new MqttClient(TestClient.Options(broker.Port, V5, time));
        ValueTask<PublishOutcome> pending = client.PublishAsync("plant/line1", "m1"u8.ToArray(), MqttQos.AtLeastOnce, retain: false);
        _ = client.RunAsync(CancellationToken.None);

        BrokerPeer first = await broker.NextAsync(V5);
        await first.ExpectAsync<ConnectPacket>();
        await first.SendAsync(Codec.Hex(hex));

        MqttClientStatus failed = await client.WaitForErrorAsync(kind);
        Assert.True(failed.LastError!.Message.Contains(says, StringComparison.Ordinal), $"{name}: {failed.LastError}");
        await first.ReadUntilClosedAsync().Guarded("the client closing the connection");
        await ReconnectAndExpectResentAsync(broker, time, client, failed, V5, sent: null, pending);
    }

    [Theory]
    [InlineData("fewer reason codes than filters", "90 03 {id} 00")]
    [InlineData("no reason codes at all", "90 02 {id}")]
    public async Task SubAckWithMissingReasonCodesDropsTheConnectionAndTheSubscribeIsSentAgain(string name, string hex)
    {
        const MqttProtocolVersion version = V3;
        await using var broker = new ScriptedBroker();
        var time = new ManualTimeProvider();
        await using var client = new MqttClient(TestClient.Options(broker.Port, version, time));
        Task<IReadOnlyList<MqttReasonCode>> subscribed = client.SubscribeAsync([new("cmd/a/#"), new("cmd/b/#", MqttQos.AtMostOnce)]);
        ValueTask<PublishOutcome> pending = client.PublishAsync("plant/line1", "m1"u8.ToArray(), MqttQos.AtLeastOnce, retain: false);
        _ = client.RunAsync(CancellationToken.None);

        BrokerPeer first = await broker.NextAsync(version);
        await first.AcceptAsync();
        SubscribePacket subscribe = await first.ExpectAsync<SubscribePacket>();
        await first.ExpectAsync<PublishPacket>();
        PublishPacket sent = await first.ExpectAsync<PublishPacket>();
        await first.SendAsync(Codec.Hex(hex.Replace("{id}", $"{subscribe.PacketId >> 8:X2} {subscribe.PacketId & 0xFF:X2}", StringComparison.Ordinal)));

        MqttClientStatus failed = await client.WaitForErrorAsync(MqttErrorKind.ProtocolViolation);
        Assert.True(failed.LastError!.Message.Contains("reason codes", StringComparison.Ordinal), $"{name}: {failed.LastError}");
        Assert.False(subscribed.IsCompleted);
        await first.ReadUntilClosedAsync().Guarded("the client closing the connection");

        await time.AdvanceToTimerAsync(failed.RetryAt!.Value);
        BrokerPeer second = await broker.NextAsync(version);
        await second.AcceptAsync();
        SubscribePacket again = await second.ExpectAsync<SubscribePacket>();
        Assert.Equal(["cmd/a/#", "cmd/b/#"], again.Subscriptions.Select(s => s.Filter));
        await second.SendAsync(new SubAckPacket { PacketId = again.PacketId, ReasonCodes = [0x01, 0x00] });
        Assert.Equal([MqttReasonCode.GrantedQos1, MqttReasonCode.Success], await subscribed.Guarded("the subscription"));
        await second.ExpectAsync<PublishPacket>();
        PublishPacket resent = await second.ExpectAsync<PublishPacket>();
        Assert.Equal((sent.PacketId, true, "m1"), (resent.PacketId, resent.Dup, Text(resent)));
        await second.SendAsync(new PublishAckPacket { PacketId = resent.PacketId });
        Assert.Equal(PublishStatus.Acknowledged, (await pending.AsTask().Guarded("the PUBACK")).Status);
    }

    [Fact]
    public async Task SilentBrokerIsDroppedWhenPingRespNeverArrives()
    {
        await using var broker = new ScriptedBroker();
        var time = new ManualTimeProvider();
        await using var client = new MqttClient(TestClient.Options(broker.Port, V5, time));
        ValueTask<PublishOutcome> pending = client.PublishAsync("plant/line1", "m1"u8.ToArray(), MqttQos.AtLeastOnce, retain: false);
        _ = client.RunAsync(CancellationToken.None);
        BrokerPeer first = await broker.NextAsync(V5);
        await first.AcceptAsync();
        await first.ExpectAsync<PublishPacket>();
        PublishPacket sent = await first.ExpectAsync<PublishPacket>();

        await time.AdvanceToTimerAsync(TimeSpan.FromSeconds(30));
        await first.ExpectAsync<PingReqPacket>();
        Assert.True(client.Status.IsConnected);
        await time.AdvanceToTimerAsync(TimeSpan.FromSeconds(10));

        MqttClientStatus failed = await client.WaitForErrorAsync(MqttErrorKind.KeepAliveTimeout);
        Assert.Contains("no PINGRESP", failed.LastError!.Message, StringComparison.Ordinal);
        await first.ReadUntilClosedAsync().Guarded("the client closing the connection");
        await ReconnectAndExpectResentAsync(broker, time, client, failed, V5, sent, pending);
    }

    [Fact]
    public async Task BrokerThatStopsReadingIsDroppedEvenWhileAWriteIsBlockedAndStoppingDoesNotHang()
    {
        await using var broker = new ScriptedBroker();
        var time = new ManualTimeProvider();
        var client = new MqttClient(TestClient.Options(broker.Port, V3, time));
        using var stop = new CancellationTokenSource();
        Task run = client.RunAsync(stop.Token);
        BrokerPeer first = await broker.NextAsync(V3);
        await first.AcceptAsync();
        await first.ExpectAsync<PublishPacket>();

        // 16 MB at QoS 0 into a peer that reads nothing fills the socket buffers: the write blocks.
        for (int i = 0; i < 64; i++)
        {
            _ = client.PublishAsync("plant/bulk", new byte[256 * 1024], MqttQos.AtMostOnce, retain: false).AsTask();
        }

        await time.AdvanceToTimerAsync(TimeSpan.FromSeconds(30));
        await time.AdvanceToTimerAsync(TimeSpan.FromSeconds(10));

        MqttClientStatus failed = await client.WaitForErrorAsync(MqttErrorKind.KeepAliveTimeout);
        Assert.Contains("not reading", failed.LastError!.Message, StringComparison.Ordinal);
        await time.AdvanceToTimerAsync(failed.RetryAt!.Value);
        BrokerPeer second = await broker.NextAsync(V3);
        await second.AcceptAsync();
        await client.WaitForConnectionsAsync(2);

        // The second peer reads nothing either: the re-queued megabytes block again, and a stop must still end.
        await stop.CancelAsync();
        await run.Guarded("the client stopping while a write is blocked");
        Assert.Equal(MqttConnectionState.Stopped, client.Status.State);
        await client.DisposeAsync();
    }

    [Fact]
    public async Task AnsweredPingKeepsTheConnection()
    {
        await using var broker = new ScriptedBroker();
        var time = new ManualTimeProvider();
        await using var client = new MqttClient(TestClient.Options(broker.Port, V3, time));
        _ = client.RunAsync(CancellationToken.None);
        BrokerPeer peer = await broker.NextAsync(V3);
        await peer.AcceptAsync();
        await peer.ExpectAsync<PublishPacket>();

        for (int i = 0; i < 3; i++)
        {
            await time.AdvanceToTimerAsync(TimeSpan.FromSeconds(30));
            await peer.ExpectAsync<PingReqPacket>();
            await peer.SendAsync(PingRespPacket.Instance);
        }

        Assert.True(client.Status.IsConnected);
        Assert.Equal(1, client.Status.ConnectAttempts);
    }

    [Fact]
    public async Task SilentBrokerBeforeConnAckTimesOut()
    {
        await using var broker = new ScriptedBroker();
        var time = new ManualTimeProvider();
        await using var client = new MqttClient(TestClient.Options(broker.Port, V5, time));
        _ = client.RunAsync(CancellationToken.None);
        BrokerPeer first = await broker.NextAsync(V5);
        await first.ExpectAsync<ConnectPacket>();

        await time.AdvanceToTimerAsync(TimeSpan.FromSeconds(10));

        MqttClientStatus failed = await client.WaitForErrorAsync(MqttErrorKind.ConnectTimeout);
        Assert.Contains("no CONNACK", failed.LastError!.Message, StringComparison.Ordinal);
        await first.ReadUntilClosedAsync().Guarded("the client closing the connection");
    }

    private static async Task ReconnectAndExpectResentAsync(
        ScriptedBroker broker, ManualTimeProvider time, MqttClient client, MqttClientStatus failed, MqttProtocolVersion version, PublishPacket? sent, ValueTask<PublishOutcome> pending)
    {
        Assert.Equal(TimeSpan.FromSeconds(1), failed.RetryDelay);
        await time.AdvanceToTimerAsync(failed.RetryAt!.Value);
        BrokerPeer second = await broker.NextAsync(version);
        await second.AcceptAsync();
        PublishPacket birth = await second.ExpectAsync<PublishPacket>();
        PublishPacket resent = await second.ExpectAsync<PublishPacket>();
        Assert.Equal("online", Text(birth));
        Assert.Equal("m1", Text(resent));
        if (sent is not null)
        {
            Assert.True(resent.Dup);
            Assert.Equal(sent.PacketId, resent.PacketId);
        }

        await second.SendAsync(new PublishAckPacket { PacketId = resent.PacketId });
        PublishOutcome outcome = await pending.AsTask().Guarded("the PUBACK of the re-sent message");
        Assert.Equal(new PublishOutcome(PublishStatus.Acknowledged, resent.PacketId, MqttReasonCode.Success, null), outcome);
        MqttClientStatus status = await client.WaitForAsync(s => s.IsConnected && s.ConnectAttempts == 2, "connected on the second attempt");
        Assert.Equal(sent is null ? 0 : 1, status.Reconnects);
        Assert.InRange(client.PeakReceiveBuffer, 1, TestClient.MaximumPacketSize);
    }

    private static Func<BrokerPeer, PublishPacket, Task> Bytes(string hex) => (peer, _) => peer.SendAsync(Codec.Hex(hex));

    private static string Text(PublishPacket publish) => System.Text.Encoding.UTF8.GetString(publish.Payload.Span);

    private sealed record HostileCase(MqttProtocolVersion Version, Func<BrokerPeer, PublishPacket, Task> Script, MqttErrorKind Kind, string Says);
}
