namespace Appliance.Mqtt;

/// <summary>Trust and identity for a TLS connection to the broker. Paths are absolute; null means not set.</summary>
/// <param name="CaFile">PEM file of the CA that signs the broker's certificate; null to use the system's trust store.</param>
/// <param name="CertFile">PEM client certificate, for mutual TLS.</param>
/// <param name="KeyFile">PEM private key of the client certificate.</param>
/// <param name="ServerName">Name the broker's certificate must carry; null to use the broker's host.</param>
public sealed record MqttTlsOptions(string? CaFile, string? CertFile, string? KeyFile, string? ServerName)
{
    /// <summary>No CA file, no client certificate, the broker's host as the server name.</summary>
    public static MqttTlsOptions None { get; } = new(null, null, null, null);
}
