namespace Appliance.Config;

/// <summary><c>[mqtt]</c>: the broker the telemetry is published to.</summary>
/// <param name="Broker">Where the broker is; TLS when its scheme is <c>mqtts</c>.</param>
/// <param name="ClientId">Client identifier, after placeholder expansion.</param>
/// <param name="CredentialsFile">Absolute path of the file with the user name (first line) and password (second line); null for none.</param>
/// <param name="Tls">TLS settings, used when the broker's scheme is <c>mqtts</c>.</param>
/// <param name="StatusTopic">Retained topic for health, the birth message and the last will, after placeholder expansion.</param>
/// <param name="ReconnectInitial">First delay before reconnecting after a failure; doubled after each further failure.</param>
/// <param name="ReconnectMax">Longest delay between reconnect attempts (failures that need a person wait longer).</param>
public sealed record MqttConfig(
    BrokerAddress Broker,
    MqttProtocol Protocol,
    string ClientId,
    string? CredentialsFile,
    int Qos,
    TimeSpan KeepAlive,
    string StatusTopic,
    MqttTlsConfig Tls,
    TimeSpan ReconnectInitial,
    TimeSpan ReconnectMax);
