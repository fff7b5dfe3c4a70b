namespace Appliance.Config.Binding;

/// <summary>The <c>[mqtt]</c> and <c>[mqtt.tls]</c> sections.</summary>
internal static partial class ConfigBinder
{
    private const string MqttSecretHint =
        "Put the user name and password in a file readable only by the appliance (first line: user name, second line: password) and set credentials_file to its path";

    private static MqttConfig BindMqtt(SectionReader section, NodeConfig node)
    {
        string brokerText = section.String("broker", "mqtt://127.0.0.1:1883");
        BrokerAddress broker = ParseBroker(section, brokerText);
        MqttProtocol protocol = section.Choice("protocol", MqttProtocol.V500, ("5", MqttProtocol.V500), ("3.1.1", MqttProtocol.V311));
        string clientIdTemplate = section.String("client_id", "{node}");
        TopicTemplate.CheckPlaceholders(section, "client_id", clientIdTemplate, ["node"]);
        string clientId = TopicTemplate.Expand(clientIdTemplate, node.Id);
        if (node.Id.Length > 0 && clientId.Length is 0 or > 256)
        {
            section.Error("client_id", $"{section.Name("client_id")} must be 1 to 256 characters once expanded, not {clientId.Length}");
        }

        string? credentialsFile = section.OptionalPath("credentials_file", mustExist: true);
        int qos = (int)section.Integer("qos", 1, 0, 1);
        TimeSpan keepAlive = section.Duration("keepalive", TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(65_535));
        TimeSpan reconnectInitial = section.Duration("reconnect_initial", TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10));
        TimeSpan reconnectMax = section.Duration("reconnect_max", TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        if (reconnectMax < reconnectInitial)
        {
            section.Error("reconnect_max", $"{section.Name("reconnect_max")} \"{DurationText.Format(reconnectMax)}\" must not be shorter than reconnect_initial \"{DurationText.Format(reconnectInitial)}\"");
        }

        string statusTemplate = section.String("status_topic", "appliance/{node}/status");
        TopicTemplate.Check(section, "status_topic", statusTemplate, ["node"]);
        string statusTopic = TopicTemplate.Expand(statusTemplate, node.Id);

        SectionReader tlsSection = section.Table("tls");
        var tls = new MqttTlsConfig(
            tlsSection.OptionalPath("ca_file", mustExist: true),
            tlsSection.OptionalPath("cert_file", mustExist: true),
            tlsSection.OptionalPath("key_file", mustExist: true),
            EmptyToNull(tlsSection.String("server_name", string.Empty)));
        if ((tls.CertFile is null) != (tls.KeyFile is null))
        {
            tlsSection.Error(tls.CertFile is null ? "key_file" : "cert_file", "mutual TLS needs both cert_file and key_file; set both or neither");
        }

        if (!broker.UseTls && (tls.CaFile ?? tls.CertFile ?? tls.ServerName) is not null)
        {
            section.Error("broker", $"[mqtt.tls] is set but broker \"{brokerText}\" is plain TCP; write mqtts://… to use TLS, or remove the TLS settings");
        }

        tlsSection.Finish();
        section.Finish();
        return new MqttConfig(broker, protocol, clientId, credentialsFile, qos, keepAlive, statusTopic, tls, reconnectInitial, reconnectMax);
    }

    /// <summary>Parses <c>mqtt://host[:port]</c> or <c>mqtts://host[:port]</c>; IPv6 hosts go in brackets.</summary>
    private static BrokerAddress ParseBroker(SectionReader section, string text)
    {
        if (BrokerAddress.TryParse(text, out BrokerAddress? broker, out string problem))
        {
            return broker;
        }

        section.Error("broker", $"{section.Name("broker")} \"{text}\" {problem}");
        return new BrokerAddress(false, "127.0.0.1", 1883);
    }

    private static string? EmptyToNull(string text) => text.Length == 0 ? null : text;
}
