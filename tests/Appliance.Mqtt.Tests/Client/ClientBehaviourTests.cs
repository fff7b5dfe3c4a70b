using System.Text;
using Appliance.Mqtt.Tests.Wire;
using Appliance.Mqtt.Tests.Support;
using Appliance.Testing;

namespace Appliance.Mqtt.Tests.Client;

/// <summary>What the client sends and how it reacts, checked packet by packet against a scripted broker and a manual clock.</summary>
public sealed class ClientBehaviourTests
{
    private const MqttProtocolVersion V5 = MqttProtocolVersion.V500;
    private const MqttProtocolVersion V3 = MqttProtocolVersion.V311;

    [Theory]
    [InlineData(MqttProtocolVersion.V500)]
    [InlineData(MqttProtocolVersion.V311)]
    public async Task ConnectAsksForACleanStartWithKeepAliveAndARetainedOfflineWill(MqttProtocolVersion version)
    {
        await using var broker = new ScriptedBroker();
        await using var client = new MqttClient(TestClient.Options(broker.Port, version, new ManualTimeProvider()));
        _ = client.RunAsync(CancellationToken.None);
        BrokerPeer peer = await broker.NextAsync(version);

        ConnectPacket connect = await peer.AcceptAsync();
        PublishPacket birth = await peer.ExpectAsync<PublishPacket>();

        Assert.Equal((version, "test-gw", true, (ushort)30), (connect.ProtocolVersion, connect.ClientId, connect.CleanStart, connect.KeepAliveSeconds));
        Assert.NotNull(connect.Will);
        Assert.Equal((TestClient.StatusTopic, (byte)1, true, "offline"), (connect.Will.Topic, connect.Will.Qos, connect.Will.Retain, Text(connect.Will.Payload)));
        Assert.Equal(version == V5 ? (uint)TestClient.MaximumPacketSize : null, connect.Properties.MaximumPacketSize);
        Assert.Null(connect.UserName);
        Assert.Equal((TestClient.StatusTopic, (byte)1, true, "online"), (birth.Topic, birth.Qos, birth.Retain, Text(birth.Payload)));
    }

    [Fact]
    public async Task CredentialsComeFromTheFileUserOnLineOneAndPasswordOnLineTwo()
    {
        string file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, "plant-gw\r\npä$$ word\r\n");
        try
        {
            await using var broker = new ScriptedBroker();
            await using var client = new MqttClient(TestClient.Options(broker.Port, V3, new ManualTimeProvider(), credentialsFile: file));
            _ = client.RunAsync(CancellationToken.None);

            ConnectPacket connect = await (await broker.NextAsync(V3)).AcceptAsync();

            Assert.Equal("plant-gw", connect.UserName);
            Assert.Equal("pä$$ word", Encoding.UTF8.GetString(connect.Password!));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task MissingCredentialsFileIsReportedAndWaitsTheLongBackoff()
    {
        var time = new ManualTimeProvider();
        await using var broker = new ScriptedBroker();
        await using var client = new MqttClient(TestClient.Options(broker.Port, V5, time, credentialsFile: "/nonexistent/mqtt-credentials"));
        _ = client.RunAsync(CancellationToken.None);

        MqttClientStatus failed = await client.WaitForErrorAsync(MqttErrorKind.CredentialsFile);

        Assert.Contains("cannot read the credentials file /nonexistent/mqtt-credentials", failed.LastError!.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMinutes(5), failed.RetryDelay);
        Assert.Equal(0, broker.Accepted);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V500, 0x86, MqttErrorKind.BadCredentials, "bad credentials")]
    [InlineData(MqttProtocolVersion.V311, 4, MqttErrorKind.BadCredentials, "bad credentials")]
    [InlineData(MqttProtocolVersion.V500, 0x87, MqttErrorKind.NotAuthorized, "not authorized")]
    [InlineData(MqttProtocolVersion.V311, 1, MqttErrorKind.ConnectRefused, "does not speak MQTT 3.1.1")]
    [InlineData(MqttProtocolVersion.V311, 2, MqttErrorKind.ConnectRefused, "refuses the client id")]
    [InlineData(MqttProtocolVersion.V500, 0x89, MqttErrorKind.BrokerUnavailable, "cannot take the connection now")]
    public async Task ConnAckRefusalIsCategorizedAndOnlyRetryableOnesRetrySoon(MqttProtocolVersion version, byte code, MqttErrorKind kind, string says)
    {
        var time = new ManualTimeProvider();
        await using var broker = new ScriptedBroker();
        await using var client = new MqttClient(TestClient.Options(broker.Port, version, time));
        _ = client.RunAsync(CancellationToken.None);
        BrokerPeer peer = await broker.NextAsync(version);

        await peer.AcceptAsync(new ConnAckPacket { ReasonCode = code, Properties = version == V5 ? new MqttProperties { ReasonString = "see admin" } : new MqttProperties() });

        MqttClientStatus failed = await client.WaitForErrorAsync(kind);
        Assert.Contains(says, failed.LastError!.Message, StringComparison.Ordinal);
        Assert.Equal(kind != MqttErrorKind.BrokerUnavailable, failed.LastError.NeedsAttention);
        Assert.Equal(failed.LastError.NeedsAttention ? TimeSpan.FromMinutes(5) : TimeSpan.FromSeconds(1), failed.RetryDelay);
        if (version == V5)
        {
            Assert.Contains("broker says: see admin", failed.LastError.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task NothingListeningIsReportedAsConnectionRefusedAndBacksOffExponentially()
    {
        int port = FreePort.Next();
        var time = new ManualTimeProvider();
        await using var client = new MqttClient(TestClient.Options(port, V5, time));
        _ = client.RunAsync(CancellationToken.None);

        var delays = new List<double>();
        for (int attempt = 1; attempt <= 5; attempt++)
        {
            MqttClientStatus failed = await client.WaitForAsync(s => s.ConnectAttempts == attempt && s.State == MqttConnectionState.WaitingToReconnect, $"failure {attempt}");
            Assert.Equal(MqttErrorKind.ConnectionRefused, failed.LastError!.Kind);
            Assert.Contains("connection refused", failed.LastError.Message, StringComparison.Ordinal);
            delays.Add(failed.RetryDelay!.Value.TotalSeconds);
            await time.AdvanceToTimerAsync(failed.RetryAt!.Value);
        }

        Assert.Equal([1, 2, 4, 8, 8], delays);
    }

    [Fact]
    public async Task ReceiveMaximumFromConnAckLimitsTheMessagesInFlight()
    {
        await using var broker = new ScriptedBroker();
        await using var client = new MqttClient(TestClient.Options(broker.Port, V5, new ManualTimeProvider()));
        ValueTask<PublishOutcome>[] pending = [.. Enumerable.Range(1, 5).Select(i => client.PublishAsync("plant/a", Encoding.UTF8.GetBytes($"m{i}"), MqttQos.AtLeastOnce, false))];
        _ = client.RunAsync(CancellationToken.None);
        BrokerPeer peer = await broker.NextAsync(V5);
        await peer.AcceptAsync(new ConnAckPacket { Properties = new MqttProperties { ReceiveMaximum = 2 } });

        PublishPacket birth = await peer.ExpectAsync<PublishPacket>();
        PublishPacket m1 = await peer.ExpectAsync<PublishPacket>();
        MqttClientStatus status = client.Status;
        Assert.Equal((2, 4), (status.InFlight, status.Queued));

        var seen = new List<string> { Text(m1.Payload) };
        await peer.SendAsync(new PublishAckPacket { PacketId = birth.PacketId });
        for (int i = 0; i < 4; i++)
        {
            PublishPacket next = await peer.ExpectAsync<PublishPacket>();
            seen.Add(Text(next.Payload));
            Assert.InRange(client.Status.InFlight, 1, 2);
            await peer.SendAsync(new PublishAckPacket { PacketId = m1.PacketId });
            m1 = next;
        }

        await peer.SendAsync(new PublishAckPacket { PacketId = m1.PacketId });
        Assert.Equal(["m1", "m2", "m3", "m4", "m5"], seen);
        foreach (ValueTask<PublishOutcome> outcome in pending)
        {
            Assert.Equal(PublishStatus.Acknowledged, (await outcome.AsTask().Guarded("a PUBACK")).Status);
        }
    }

    [Fact]
    public async Task MaxInFlightIsTheWindowOnThreeOneOne()
    {
        await using var broker = new ScriptedBroker();
        await using var client = new MqttClient(TestClient.Options(broker.Port, V3, new ManualTimeProvider(), maxInFlight: 3));
        for (int i = 0; i < 10; i++)
        {
            _ = client.PublishAsync("plant/a", "x"u8.ToArray(), MqttQos.AtLeastOnce, false).AsTask();
        }

        _ = client.RunAsync(CancellationToken.None);
        BrokerPeer peer = await broker.NextAsync(V3);
        await peer.AcceptAsync();
        for (int i = 0; i < 3; i++)
        {
            await peer.ExpectAsync<PublishPacket>();
        }

        Assert.Equal((3, 8), (client.Status.InFlight, client.Status.Queued));
    }

    [Fact]
    public async Task QosZeroCompletesWhenWrittenAndKeepsItsPlaceBetweenQosOneMessages()
    {
        await using var broker = new ScriptedBroker();
        await using var client = new MqttClient(TestClient.Options(broker.Port, V3, new ManualTimeProvider()));
        ValueTask<PublishOutcome> a = client.PublishAsync("plant/a", "a"u8.ToArray(), MqttQos.AtLeastOnce, false);
        ValueTask<PublishOutcome> b = client.PublishAsync("plant/b", "b"u8.ToArray(), MqttQos.AtMostOnce, true);
        ValueTask<PublishOutcome> c = client.PublishAsync("plant/c", "c"u8.ToArray(), MqttQos.AtLeastOnce, false);
        _ = client.RunAsync(CancellationToken.None);
        BrokerPeer peer = await broker.NextAsync(V3);
        await peer.AcceptAsync();
        await peer.ExpectAsync<PublishPacket>();

        PublishPacket[] got = [await peer.ExpectAsync<PublishPacket>(), await peer.ExpectAsync<PublishPacket>(), await peer.ExpectAsync<PublishPacket>()];

        Assert.Equal(["a", "b", "c"], got.Select(p => Text(p.Payload)));
        Assert.Equal((0, true, (ushort)0), (got[1].Qos, got[1].Retain, got[1].PacketId));
        Assert.Equal(new PublishOutcome(PublishStatus.Written, 0, MqttReasonCode.Success, null), await b.AsTask().Guarded("the QoS 0 write"));
        Assert.False(a.IsCompleted || c.IsCompleted);
    }

    [Fact]
    public async Task CancellingAPublicationThatWasNotSentWithdrawsIt()
    {
        await using var broker = new ScriptedBroker();
        await using var client = new MqttClient(TestClient.Options(broker.Port, V3, new ManualTimeProvider()));
        using var cancel = new CancellationTokenSource();
        ValueTask<PublishOutcome> withdrawn = client.PublishAsync("plant/a", "gone"u8.ToArray(), MqttQos.AtLeastOnce, false, cancel.Token);
        ValueTask<PublishOutcome> kept = client.PublishAsync("plant/a", "kept"u8.ToArray(), MqttQos.AtLeastOnce, false);

        await cancel.CancelAsync();
        _ = client.RunAsync(CancellationToken.None);
        BrokerPeer peer = await broker.NextAsync(V3);
        await peer.AcceptAsync();
        await peer.ExpectAsync<PublishPacket>();

        Assert.Equal("kept", Text((await peer.ExpectAsync<PublishPacket>()).Payload));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await withdrawn);
        Assert.False(kept.IsCompleted);
    }

    [Fact]
    public async Task ServerKeepAliveReplacesTheClientsOwn()
    {
        var time = new ManualTimeProvider();
        await using var broker = new ScriptedBroker();
        await using var client = new MqttClient(TestClient.Options(broker.Port, V5, time));
        _ = client.RunAsync(CancellationToken.None);
        BrokerPeer peer = await broker.NextAsync(V5);
        await peer.AcceptAsync(new ConnAckPacket { Properties = new MqttProperties { ServerKeepAlive = 5 } });
        await peer.ExpectAsync<PublishPacket>();

        await time.AdvanceToTimerAsync(TimeSpan.FromSeconds(5));

        await peer.ExpectAsync<PingReqPacket>();
    }

    [Fact]
    public async Task PublicationLargerThanTheBrokersMaximumIsRefusedAloneAndTheConnectionStays()
    {
        await using var broker = new ScriptedBroker();
        await using var client = new MqttClient(TestClient.Options(broker.Port, V5, new ManualTimeProvider()));
        _ = client.RunAsync(CancellationToken.None);
        BrokerPeer peer = await broker.NextAsync(V5);
        await peer.AcceptAsync(new ConnAckPacket { Properties = new MqttProperties { MaximumPacketSize = 200 } });
        await peer.ExpectAsync<PublishPacket>();

        PublishOutcome tooLarge = await client.PublishAsync("plant/a", new byte[500], MqttQos.AtLeastOnce, false).AsTask().Guarded("the refusal");
        ValueTask<PublishOutcome> small = client.PublishAsync("plant/a", "ok"u8.ToArray(), MqttQos.AtLeastOnce, false);
        PublishPacket sent = await peer.ExpectAsync<PublishPacket>();
        await peer.SendAsync(new PublishAckPacket { PacketId = sent.PacketId, ReasonCode = 0x10 });

        Assert.Equal((PublishStatus.TooLarge, MqttReasonCode.PacketTooLarge), (tooLarge.Status, tooLarge.ReasonCode));
        Assert.Equal(new PublishOutcome(PublishStatus.Acknowledged, sent.PacketId, MqttReasonCode.NoMatchingSubscribers, null), await small.AsTask().Guarded("the PUBACK"));
        Assert.True(client.Status.IsConnected);
    }

    [Fact]
    public async Task PubAckRefusalIsReportedForThatMessageOnly()
    {
        await using var broker = new ScriptedBroker();
        await using var client = new MqttClient(TestClient.Options(broker.Port, V5, new ManualTimeProvider()));
        _ = client.RunAsync(CancellationToken.None);
        BrokerPeer peer = await broker.NextAsync(V5);
        await peer.AcceptAsync();
        await peer.ExpectAsync<PublishPacket>();

        ValueTask<PublishOutcome> denied = client.PublishAsync("plant/secret", "x"u8.ToArray(), MqttQos.AtLeastOnce, false);
        PublishPacket sent = await peer.ExpectAsync<PublishPacket>();
        await peer.SendAsync(new PublishAckPacket { PacketId = sent.PacketId, ReasonCode = 0x87, Properties = new MqttProperties { ReasonString = "acl" } });

        Assert.Equal(new PublishOutcome(PublishStatus.Refused, sent.PacketId, MqttReasonCode.NotAuthorized, "acl"), await denied.AsTask().Guarded("the refusal"));
        MqttClientStatus status = await client.WaitForAsync(s => s.LastError?.Kind == MqttErrorKind.PublishRefused, "the refusal recorded");
        Assert.Equal((1L, true), (status.Refused, status.IsConnected));
        Assert.Contains("broker says: acl", status.LastError!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserPropertiesAreSentOnFiveZeroAndLeftOutOnThreeOneOne()
    {
        foreach (MqttProtocolVersion version in new[] { V5, V3 })
        {
            await using var broker = new ScriptedBroker();
            await using var client = new MqttClient(TestClient.Options(broker.Port, version, new ManualTimeProvider()));
            _ = client.PublishAsync("plant/a", "old"u8.ToArray(), MqttQos.AtLeastOnce, false, [new("historical", "true")]).AsTask();
            _ = client.RunAsync(CancellationToken.None);
            BrokerPeer peer = await broker.NextAsync(version);
            await peer.AcceptAsync();
            await peer.ExpectAsync<PublishPacket>();

            PublishPacket sent = await peer.ExpectAsync<PublishPacket>();

            Assert.Equal(version == V5 ? [new MqttUserProperty("historical", "true")] : [], sent.Properties.UserProperties);
        }
    }

    [Fact]
    public async Task IncomingQosOneMessageIsHandedOverAndAcknowledged()
    {
        var received = new TaskCompletionSource<MqttReceivedMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var broker = new ScriptedBroker();
        await using var client = new MqttClient(TestClient.Options(broker.Port, V5, new ManualTimeProvider(), received: m =>
        {
            received.TrySetResult(m);
            return ValueTask.CompletedTask;
        }));
        Task<IReadOnlyList<MqttReasonCode>> subscribed = client.SubscribeAsync([new("cmd/#")]);
        _ = client.RunAsync(CancellationToken.None);
        BrokerPeer peer = await broker.NextAsync(V5);
        await peer.AcceptAsync();
        SubscribePacket subscribe = await peer.ExpectAsync<SubscribePacket>();
        await peer.SendAsync(new SubAckPacket { PacketId = subscribe.PacketId, ReasonCodes = [0x01] });
        await peer.ExpectAsync<PublishPacket>();
        Assert.Equal([MqttReasonCode.GrantedQos1], await subscribed.Guarded("the SUBACK"));

        var publish = new PublishPacket { Topic = "cmd/reset", Qos = 1, PacketId = 77, Payload = "now"u8.ToArray() };
        publish.Properties.UserProperties.Add(new("by", "scada"));
        await peer.SendAsync(publish);

        MqttReceivedMessage message = await received.Task.Guarded("the message");
        Assert.Equal(("cmd/reset", "now", MqttQos.AtLeastOnce), (message.Topic, Text(message.Payload), message.Qos));
        Assert.Equal([new MqttUserProperty("by", "scada")], message.UserProperties);
        Assert.Equal(77, (await peer.ExpectAsync<PublishAckPacket>()).PacketId);
    }

    [Fact]
    public async Task StoppingWhileDisconnectedCompletesPendingPublicationsAsStopped()
    {
        var time = new ManualTimeProvider();
        await using var client = new MqttClient(TestClient.Options(FreePort.Next(), V5, time));
        ValueTask<PublishOutcome> pending = client.PublishAsync("plant/a", "x"u8.ToArray(), MqttQos.AtLeastOnce, false);
        using var stop = new CancellationTokenSource();
        Task run = client.RunAsync(stop.Token);
        await client.WaitForErrorAsync(MqttErrorKind.ConnectionRefused);

        await stop.CancelAsync();
        await run.Guarded("the client stopping");

        Assert.Equal(PublishStatus.Stopped, (await pending).Status);
        Assert.Equal(MqttConnectionState.Stopped, client.Status.State);
    }

    [Fact]
    public void InvalidTopicsAreRefusedBeforeQueueing()
    {
        var client = new MqttClient(TestClient.Options(1883, V5, new ManualTimeProvider()));

        Assert.Throws<ArgumentException>(() => Publish(client, "plant/+", MqttQos.AtMostOnce));
        Assert.Throws<ArgumentException>(() => Publish(client, string.Empty, MqttQos.AtMostOnce));
        Assert.Throws<ArgumentException>(() => Publish(client, "plant/\0", MqttQos.AtMostOnce));
        Assert.Throws<ArgumentException>(() => Publish(client, "plant/\uD800", MqttQos.AtMostOnce));
        Assert.Throws<ArgumentOutOfRangeException>(() => Publish(client, "plant/a", (MqttQos)2));
        Assert.Equal(0, client.Status.Queued);
    }

    private static void Publish(MqttClient client, string topic, MqttQos qos) => _ = client.PublishAsync(topic, default, qos, false).AsTask();

    private static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);
}
