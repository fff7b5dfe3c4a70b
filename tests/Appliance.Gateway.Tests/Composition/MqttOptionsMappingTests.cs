using Appliance.Config;
using Appliance.Gateway.Composition;
using Appliance.Mqtt;

namespace Appliance.Gateway.Tests.Composition;

/// <summary>The <c>[mqtt]</c> section as the MQTT client's options.</summary>
public sealed class MqttOptionsMappingTests
{
    [Theory]
    [InlineData("\"5\"", MqttProtocolVersion.V500, 5)]
    [InlineData("\"3.1.1\"", MqttProtocolVersion.V311, 4)]
    public void TheProtocolSettingBecomesTheVersionAndProtocolLevelTheClientSends(string written, MqttProtocolVersion version, byte level)
    {
        ApplianceConfig config = Configs.Example(("protocol = \"5\"", $"protocol = {written}"));

        MqttClientOptions options = MqttOptionsMapping.Client(config.Mqtt, config.Node.Id);

        Assert.Equal(version, options.Protocol);
        Assert.Equal(level, (byte)options.Protocol);
    }

    [Theory]
    [InlineData(MqttProtocol.V311, MqttProtocolVersion.V311)]
    [InlineData(MqttProtocol.V500, MqttProtocolVersion.V500)]
    public void EveryConfiguredProtocolHasOneClientVersion(MqttProtocol configured, MqttProtocolVersion expected)
    {
        Assert.Equal(expected, MqttOptionsMapping.Protocol(configured));
    }

    [Fact]
    public void EveryConfiguredProtocolIsMapped()
    {
        Assert.All(Enum.GetValues<MqttProtocol>(), protocol => Assert.True(Enum.IsDefined(MqttOptionsMapping.Protocol(protocol))));
    }

    [Theory]
    [InlineData("mqtt://127.0.0.1:1883", false, "127.0.0.1", 1883)]
    [InlineData("mqtts://broker.plant", true, "broker.plant", 8883)]
    [InlineData("mqtts://[::1]:8884", true, "::1", 8884)]
    public void TheBrokerUrlBecomesHostPortAndTls(string url, bool useTls, string host, int port)
    {
        ApplianceConfig config = Configs.Example(("mqtt://127.0.0.1:1883", url));

        MqttClientOptions options = MqttOptionsMapping.Client(config.Mqtt, config.Node.Id);

        Assert.Equal(new MqttBrokerEndpoint(useTls, host, port), options.Broker);
        Assert.Equal(config.Mqtt.Broker.ToString(), options.Broker.ToString());
    }

    [Fact]
    public void OptionsFromTheConfigurationFillTheNodePlaceholder()
    {
        var config = new MqttConfig(
            new BrokerAddress(true, "broker.plant", 8883), MqttProtocol.V311, "{node}-gw", "/etc/appliance/mqtt.credentials", 1, TimeSpan.FromSeconds(45), "appliance/{node}/status",
            new MqttTlsConfig("/etc/appliance/ca.pem", null, null, "broker.plant"), TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(4));

        MqttClientOptions options = MqttOptionsMapping.Client(config, "press-7");

        Assert.Equal(("press-7-gw", "appliance/press-7/status", "appliance/press-7/status/health"), (options.ClientId, options.StatusTopic, options.HealthTopic));
        Assert.Equal(
            (new MqttBrokerEndpoint(true, "broker.plant", 8883), MqttProtocolVersion.V311, TimeSpan.FromSeconds(45), config.CredentialsFile, new MqttTlsOptions("/etc/appliance/ca.pem", null, null, "broker.plant")),
            (options.Broker, options.Protocol, options.KeepAlive, options.CredentialsFile, options.Tls));
        Assert.Equal((TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(4)), (options.BackoffInitial, options.BackoffMax));
    }

    [Fact]
    public void TheDefaultReconnectBackoffIsShortSoAReturningBrokerWaitsSecondsNotMinutes()
    {
        ApplianceConfig config = Configs.Example();

        MqttClientOptions options = MqttOptionsMapping.Client(config.Mqtt, config.Node.Id);

        Assert.Equal((TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(3)), (options.BackoffInitial, options.BackoffMax));
    }

    [Fact]
    public void EveryTlsSettingReachesTheClient()
    {
        var tls = new MqttTlsConfig("/etc/appliance/ca.pem", "/etc/appliance/client.pem", "/etc/appliance/client.key", "broker.plant");

        Assert.Equal(new MqttTlsOptions("/etc/appliance/ca.pem", "/etc/appliance/client.pem", "/etc/appliance/client.key", "broker.plant"), MqttOptionsMapping.Tls(tls));
    }
}
