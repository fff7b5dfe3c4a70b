using Appliance.Mqtt.Tests.Support;
using Appliance.Testing;

namespace Appliance.Mqtt.Tests.RealBroker;

/// <summary>TLS against a real mosquitto with an openssl-made CA: mutual TLS, a wrong CA, a wrong server name, a missing client certificate.</summary>
public sealed class MosquittoTlsTests : IClassFixture<TestCertificates>
{
    private readonly TestCertificates _pki;

    public MosquittoTlsTests(TestCertificates pki)
    {
        _pki = pki;
    }

    [Theory]
    [InlineData("127.0.0.1", MqttProtocolVersion.V500)]
    [InlineData("localhost", MqttProtocolVersion.V311)]
    public async Task MutualTlsWithTheTestCaConnectsAndPublishes(string host, MqttProtocolVersion version)
    {
        int plainPort = FreePort.Next();
        using var broker = Mosquitto.Start(TlsListener(plainPort));
        using var watcher = Subscriber.Mosquitto(plainPort, "plant/#");
        var tls = new MqttTlsOptions(_pki.CaFile, _pki.ClientCertFile, _pki.ClientKeyFile, null);
        MqttClientOptions options = TestClient.Options(broker.Port, version, TimeProvider.System, tls: true, tlsConfig: tls);
        await using var client = new MqttClient(WithHost(options, host));
        using var stop = new CancellationTokenSource();
        Task run = client.RunAsync(stop.Token);

        PublishOutcome outcome = await client.PublishAsync("plant/tls", "secret reading"u8.ToArray(), MqttQos.AtLeastOnce, retain: false).AsTask().Guarded("the publication over TLS");

        Assert.Equal(PublishStatus.Acknowledged, outcome.Status);
        Assert.Equal(["plant/tls secret reading"], watcher.Next(1));
        Assert.Equal("online", await Retained.ReadAsync(plainPort, TestClient.StatusTopic));
        await stop.CancelAsync();
        await run.Guarded("the client stopping");
    }

    [Fact]
    public async Task BrokerCertificateFromAnotherCaIsRefusedAsUnknownCa()
    {
        using var broker = Mosquitto.Start(TlsListener(null));
        var time = new ManualTimeProvider();
        var tls = new MqttTlsOptions(_pki.OtherCaFile, _pki.ClientCertFile, _pki.ClientKeyFile, null);
        await using var client = new MqttClient(TestClient.Options(broker.Port, MqttProtocolVersion.V500, time, tls: true, tlsConfig: tls));
        _ = client.RunAsync(CancellationToken.None);

        MqttClientStatus failed = await client.WaitForErrorAsync(MqttErrorKind.TlsUntrustedCertificate);

        Assert.Contains($"does not chain to the CA in {_pki.OtherCaFile}", failed.LastError!.Message, StringComparison.Ordinal);
        Assert.Contains("CN=127.0.0.1", failed.LastError.Message, StringComparison.Ordinal);
        Assert.True(failed.LastError.NeedsAttention);
        Assert.True(failed.RetryDelay >= TimeSpan.FromMinutes(5), $"retry after {failed.RetryDelay}");
        Assert.Equal(0, failed.Connections);
    }

    [Fact]
    public async Task BrokerCertificateWithoutTheServerNameIsRefused()
    {
        using var broker = Mosquitto.Start(TlsListener(null));
        var time = new ManualTimeProvider();
        var tls = new MqttTlsOptions(_pki.CaFile, _pki.ClientCertFile, _pki.ClientKeyFile, "broker.plant.example");
        await using var client = new MqttClient(TestClient.Options(broker.Port, MqttProtocolVersion.V500, time, tls: true, tlsConfig: tls));
        _ = client.RunAsync(CancellationToken.None);

        MqttClientStatus failed = await client.WaitForErrorAsync(MqttErrorKind.TlsNameMismatch);

        Assert.Contains("is not valid for \"broker.plant.example\"", failed.LastError!.Message, StringComparison.Ordinal);
        Assert.True(failed.RetryDelay >= TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task BrokerThatRequiresAClientCertificateRefusesAClientWithout()
    {
        using var broker = Mosquitto.Start(TlsListener(null));
        var time = new ManualTimeProvider();
        var tls = new MqttTlsOptions(_pki.CaFile, null, null, null);
        await using var client = new MqttClient(TestClient.Options(broker.Port, MqttProtocolVersion.V500, time, tls: true, tlsConfig: tls));
        _ = client.RunAsync(CancellationToken.None);

        MqttClientStatus failed = await client.WaitForAsync(s => s.State == MqttConnectionState.WaitingToReconnect, "a refused connection");

        Assert.Equal(0, failed.Connections);
        Assert.Contains("client certificate", failed.LastError!.Message, StringComparison.Ordinal);
    }

    private static MqttClientOptions WithHost(MqttClientOptions options, string host) => new()
    {
        Broker = options.Broker with { Host = host },
        Protocol = options.Protocol,
        ClientId = options.ClientId,
        StatusTopic = options.StatusTopic,
        Tls = options.Tls,
        BackoffInitial = TimeSpan.FromMilliseconds(50),
        BackoffMax = TimeSpan.FromMilliseconds(200),
        HealthInterval = null,
    };

    /// <summary>The TLS settings of the listener <see cref="Mosquitto.Start"/> opens, and optionally a plain listener for watchers.</summary>
    private List<string> TlsListener(int? plainPort)
    {
        var lines = new List<string>
        {
            $"cafile {_pki.CaFile}",
            $"certfile {_pki.ServerCertFile}",
            $"keyfile {_pki.ServerKeyFile}",
            "require_certificate true",
        };
        if (plainPort is { } port)
        {
            lines.Add($"listener {port} 127.0.0.1");
        }

        return lines;
    }
}
