using Appliance.Mqtt.Tests.Support;
using Appliance.Testing;

namespace Appliance.Mqtt.Tests.RealBroker;

/// <summary>Password authentication and ACLs against a real mosquitto.</summary>
public sealed class MosquittoAuthTests
{
    [Fact]
    public async Task PasswordFromTheCredentialsFileIsAccepted()
    {
        using var files = new BrokerFiles();
        string passwords = await files.PasswordFileAsync("gateway", "s3cret pass");
        using var broker = Mosquitto.Start([$"password_file {passwords}"], allowAnonymous: false);
        string credentials = files.Write("credentials", "gateway\ns3cret pass\n");
        await using var client = new MqttClient(TestClient.Options(broker.Port, MqttProtocolVersion.V500, TimeProvider.System, credentialsFile: credentials));
        using var stop = new CancellationTokenSource();
        Task run = client.RunAsync(stop.Token);

        PublishOutcome outcome = await client.PublishAsync("plant/auth", "ok"u8.ToArray(), MqttQos.AtLeastOnce, retain: false).AsTask().Guarded("the publication");

        Assert.Equal(PublishStatus.Acknowledged, outcome.Status);
        await stop.CancelAsync();
        await run.Guarded("the client stopping");
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V500)]
    [InlineData(MqttProtocolVersion.V311)]
    public async Task WrongPasswordIsReportedAndRetriedOnlyAfterTheLongBackoff(MqttProtocolVersion version)
    {
        using var files = new BrokerFiles();
        string passwords = await files.PasswordFileAsync("gateway", "right");
        using var broker = Mosquitto.Start([$"password_file {passwords}"], allowAnonymous: false);
        string credentials = files.Write("credentials", "gateway\nwrong-password\n");
        var time = new ManualTimeProvider();
        await using var client = new MqttClient(TestClient.Options(
            broker.Port, version, time, credentialsFile: credentials, refusedBackoff: TimeSpan.FromMinutes(5)));
        _ = client.RunAsync(CancellationToken.None);

        // Three refusals, each followed by a wait of at least five minutes: no attempt comes sooner.
        TimeSpan previous = TimeSpan.Zero;
        for (int attempt = 1; attempt <= 3; attempt++)
        {
            MqttClientStatus refused = await client.WaitForAsync(
                s => s.ConnectAttempts == attempt && s.State == MqttConnectionState.WaitingToReconnect, $"refusal {attempt}");
            // mosquitto 2.0 answers a wrong password with "not authorized" (0x87, 3.1.1 return code 5), not 0x86.
            Assert.Equal(MqttErrorKind.NotAuthorized, refused.LastError!.Kind);
            Assert.Equal(MqttReasonCode.NotAuthorized, refused.LastError.ReasonCode);
            Assert.True(refused.LastError.NeedsAttention);
            Assert.Contains("check the user name and password in the credentials file", refused.LastError.Message, StringComparison.Ordinal);
            Assert.Contains("user \"gateway\"", refused.LastError.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("wrong-password", refused.LastError.Message, StringComparison.Ordinal);
            Assert.True(refused.RetryDelay >= TimeSpan.FromMinutes(5) && refused.RetryDelay >= previous, $"retry after {refused.RetryDelay}");
            previous = refused.RetryDelay!.Value;

            time.Advance(refused.RetryDelay.Value - TimeSpan.FromSeconds(1));
            Assert.Equal(attempt, client.Status.ConnectAttempts);
            await time.AdvanceToTimerAsync(refused.RetryAt!.Value);
        }

        // 3 attempts in more than 15 minutes of clock time; the broker saw exactly the client's attempts.
        MqttClientStatus fourth = await client.WaitForAsync(s => s.ConnectAttempts == 4 && s.State == MqttConnectionState.WaitingToReconnect, "refusal 4");
        Assert.Equal(0, fourth.Connections);
        Assert.True(time.GetUtcNow() - new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero) >= TimeSpan.FromMinutes(15));
    }

    [Fact]
    public async Task AclDenialIsReportedPerMessageOnFiveZeroAndTheConnectionStays()
    {
        using var files = new BrokerFiles();
        string acl = files.Write("acl", "topic readwrite appliance/#\ntopic readwrite plant/#\n");
        using var broker = Mosquitto.Start([$"acl_file {acl}"]);
        await using var client = new MqttClient(TestClient.Options(broker.Port, MqttProtocolVersion.V500, TimeProvider.System));
        using var stop = new CancellationTokenSource();
        Task run = client.RunAsync(stop.Token);

        PublishOutcome denied = await client.PublishAsync("secret/valve", "open"u8.ToArray(), MqttQos.AtLeastOnce, retain: false).AsTask().Guarded("the denied publication");
        PublishOutcome allowed = await client.PublishAsync("plant/line1", "ok"u8.ToArray(), MqttQos.AtLeastOnce, retain: false).AsTask().Guarded("the allowed publication");

        Assert.Equal((PublishStatus.Refused, MqttReasonCode.NotAuthorized), (denied.Status, denied.ReasonCode));
        Assert.NotEqual(0, denied.PacketId);
        Assert.Equal(PublishStatus.Acknowledged, allowed.Status);
        MqttClientStatus status = client.Status;
        Assert.Equal(MqttErrorKind.PublishRefused, status.LastError!.Kind);
        Assert.Contains("ACL does not allow publishing to \"secret/valve\"", status.LastError.Message, StringComparison.Ordinal);
        Assert.Equal((1L, 1L, true), (status.Refused, status.Connections, status.IsConnected));
        await stop.CancelAsync();
        await run.Guarded("the client stopping");
    }

    [Fact]
    public async Task AclDenialOnThreeOneOneIsInvisibleBecauseMosquittoAcknowledgesAndDrops()
    {
        // MQTT 3.1.1 has no way to refuse one PUBLISH: mosquitto sends a normal PUBACK and discards the message.
        // The client cannot tell; the README says so. This test pins mosquitto's behaviour.
        using var files = new BrokerFiles();
        string acl = files.Write("acl", "topic readwrite appliance/#\ntopic readwrite plant/#\n");
        using var broker = Mosquitto.Start([$"acl_file {acl}"]);
        await using var client = new MqttClient(TestClient.Options(broker.Port, MqttProtocolVersion.V311, TimeProvider.System));
        using var stop = new CancellationTokenSource();
        Task run = client.RunAsync(stop.Token);

        PublishOutcome denied = await client.PublishAsync("secret/valve", "open"u8.ToArray(), MqttQos.AtLeastOnce, retain: false).AsTask().Guarded("the publication");

        Assert.Equal(PublishStatus.Acknowledged, denied.Status);
        Assert.Null(client.Status.LastError);
        await stop.CancelAsync();
        await run.Guarded("the client stopping");
    }
}
