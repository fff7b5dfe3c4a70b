namespace Appliance.Mqtt;

/// <summary>Where the broker listens, and whether the connection is TLS (<c>mqtts://</c>) or plain TCP (<c>mqtt://</c>).</summary>
public sealed record MqttBrokerEndpoint(bool UseTls, string Host, int Port)
{
    public override string ToString() => $"{(UseTls ? "mqtts" : "mqtt")}://{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port}";
}
