using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Appliance.Mqtt.Connection;

/// <summary>
/// Opens the byte stream to the broker: TCP, then TLS through <see cref="SslStream"/> for <c>mqtts://</c>.
/// With a CA file the broker's chain must end at that CA (<see cref="X509ChainTrustMode.CustomRootTrust"/>,
/// nothing from the system store); the server name is always checked. Every failure becomes an
/// <see cref="MqttConnectionException"/> whose message names the cause and the fix.
/// </summary>
internal static class BrokerTransport
{
    public static async Task<Stream> ConnectAsync(MqttClientOptions options, Func<DateTimeOffset> now, CancellationToken cancellationToken)
    {
        MqttBrokerEndpoint broker = options.Broker;
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(broker.Host, broker.Port, cancellationToken);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new MqttConnectionException(e.SocketErrorCode == SocketError.ConnectionRefused
                ? new MqttError(MqttErrorKind.ConnectionRefused, $"nothing accepts connections at {broker} (connection refused): is the broker running, and is the port right?", null, now())
                : new MqttError(MqttErrorKind.NetworkError, $"cannot reach {broker}: {e.Message} ({e.SocketErrorCode})", null, now()));
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var network = new NetworkStream(socket, ownsSocket: true);
        if (!broker.UseTls)
        {
            return network;
        }

        try
        {
            return await AuthenticateAsync(network, options, now, cancellationToken);
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }
    }

    private static async Task<Stream> AuthenticateAsync(NetworkStream network, MqttClientOptions options, Func<DateTimeOffset> now, CancellationToken cancellationToken)
    {
        MqttTlsOptions tls = options.Tls;
        string serverName = tls.ServerName ?? options.Broker.Host;
        X509Certificate2Collection? trusted = tls.CaFile is null ? null : LoadCa(tls.CaFile, now);
        X509Certificate2? client = tls.CertFile is not null && tls.KeyFile is not null ? LoadClientCertificate(tls.CertFile, tls.KeyFile, now) : null;
        MqttError? verdict = null;
        bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            verdict = CheckServerCertificate(certificate, chain, errors, trusted, tls.CaFile, serverName, now);
            return verdict is null;
        }

        var ssl = new SslStream(network, leaveInnerStreamOpen: false, Validate);
        var authentication = new SslClientAuthenticationOptions
        {
            TargetHost = serverName,
            ClientCertificates = client is null ? null : [client],
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
        try
        {
            await ssl.AuthenticateAsClientAsync(authentication, cancellationToken);
            return ssl;
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            await ssl.DisposeAsync();
            throw new MqttConnectionException(verdict ?? new MqttError(
                MqttErrorKind.TlsFailure,
                $"TLS handshake with {options.Broker} failed: {Innermost(e)}{(client is null ? " (if the broker requires a client certificate, set cert_file and key_file)" : string.Empty)}",
                null,
                now()));
        }
    }

    private static MqttError? CheckServerCertificate(
        X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, X509Certificate2Collection? trusted, string? caFile, string serverName, Func<DateTimeOffset> now)
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

        if (trusted is null)
        {
            return errors == SslPolicyErrors.None
                ? null
                : new MqttError(
                    MqttErrorKind.TlsUntrustedCertificate,
                    $"the broker's certificate ({leaf.Subject}, issued by {leaf.Issuer}) is not trusted by the system: {Describe(chain)}; set ca_file to the CA that signed it",
                    null,
                    now());
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(trusted);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (X509ChainElement element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return custom.Build(leaf)
            ? null
            : new MqttError(
                MqttErrorKind.TlsUntrustedCertificate,
                $"the broker's certificate ({leaf.Subject}, issued by {leaf.Issuer}) does not chain to the CA in {caFile} (unknown CA: {Describe(custom)}); check that ca_file is the CA that signed the broker's certificate",
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

    private static string Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e.Message;
    }
}
