using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Appliance.Mqtt.Guard;
using MQTTnet;

namespace Appliance.Mqtt.Client;

/// <summary>
/// MQTTnet's TLS options from ours: the CA of <c>ca_file</c> as the only trust anchor (custom root trust, nothing
/// from the system store), the client certificate and key for mutual TLS, the server name. The certificate check
/// puts a refusal into words (unknown CA, name mismatch) in the connection's guard, for the status and the log.
/// </summary>
internal static class TlsSettings
{
    public static MqttClientTlsOptions Build(MqttClientOptions options, ConnectionGuard guard, Func<DateTimeOffset> now)
    {
        MqttTlsOptions tls = options.Tls;
        string serverName = tls.ServerName ?? options.Broker.Host;
        X509Certificate2Collection? trusted = tls.CaFile is null ? null : LoadCa(tls.CaFile, now);
        var builder = new MqttClientTlsOptionsBuilder()
            .UseTls()
            .WithTargetHost(serverName)
            .WithRevocationMode(X509RevocationMode.NoCheck)
            .WithCertificateValidationHandler(e =>
            {
                guard.TlsVerdict = Check(e.Certificate, e.Chain, e.SslPolicyErrors, trusted is not null, tls.CaFile, serverName, now);
                return guard.TlsVerdict is null;
            });
        if (trusted is not null)
        {
            builder = builder.WithTrustChain(trusted);
        }

        if (tls.CertFile is not null && tls.KeyFile is not null)
        {
            builder = builder.WithClientCertificates([LoadClientCertificate(tls.CertFile, tls.KeyFile, now)]);
        }

        return builder.Build();
    }

    /// <summary>
    /// The broker's certificate against the CA (MQTTnet has built the chain with ours as the custom root): null when
    /// it is trusted and carries the server name, otherwise the refusal in words.
    /// </summary>
    private static MqttError? Check(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, bool customCa, string? caFile, string serverName, Func<DateTimeOffset> now)
    {
        if (certificate is not X509Certificate2 leaf)
        {
            return new MqttError(MqttErrorKind.TlsFailure, "the broker sent no certificate", null, now());
        }

        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return new MqttError(
                MqttErrorKind.TlsNameMismatch,
                $"the broker's certificate ({leaf.Subject}) is not valid for \"{serverName}\": connect by a name or address in its subject alternative names, or set server_name",
                null,
                now());
        }

        if (errors == SslPolicyErrors.None)
        {
            return null;
        }

        return customCa
            ? new MqttError(
                MqttErrorKind.TlsUntrustedCertificate,
                $"the broker's certificate ({leaf.Subject}, issued by {leaf.Issuer}) does not chain to the CA in {caFile} (unknown CA: {Describe(chain)}); check that ca_file is the CA that signed the broker's certificate",
                null,
                now())
            : new MqttError(
                MqttErrorKind.TlsUntrustedCertificate,
                $"the broker's certificate ({leaf.Subject}, issued by {leaf.Issuer}) is not trusted by the system: {Describe(chain)}; set ca_file to the CA that signed it",
                null,
                now());
    }

    private static X509Certificate2Collection LoadCa(string path, Func<DateTimeOffset> now)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new MqttConnectionException(new MqttError(MqttErrorKind.TlsFailure, $"cannot load the CA file {path}: {e.Message}", null, now()));
        }

        return collection.Count > 0
            ? collection
            : throw new MqttConnectionException(new MqttError(MqttErrorKind.TlsFailure, $"the CA file {path} holds no PEM certificate", null, now()));
    }

    private static X509Certificate2 LoadClientCertificate(string certFile, string keyFile, Func<DateTimeOffset> now)
    {
        try
        {
            return X509Certificate2.CreateFromPemFile(certFile, keyFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new MqttConnectionException(new MqttError(
                MqttErrorKind.TlsFailure, $"cannot load the client certificate {certFile} with the key {keyFile}: {e.Message}", null, now()));
        }
    }

    private static string Describe(X509Chain? chain)
    {
        if (chain is null || chain.ChainStatus.Length == 0)
        {
            return "no chain";
        }

        return string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()).Distinct());
    }
}
