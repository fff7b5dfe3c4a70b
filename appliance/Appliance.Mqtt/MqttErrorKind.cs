namespace Appliance.Mqtt;

/// <summary>What went wrong, in categories an engineer can act on. <see cref="MqttError.NeedsAttention"/> says which ones a retry alone will not fix.</summary>
public enum MqttErrorKind
{
    /// <summary>Nothing listens on the broker's address and port (TCP connection refused).</summary>
    ConnectionRefused,

    /// <summary>Any other network failure: unreachable host, unknown host name, reset.</summary>
    NetworkError,

    /// <summary>TCP, TLS and CONNACK did not complete within the connect timeout.</summary>
    ConnectTimeout,

    /// <summary>The broker's certificate does not chain to the configured CA (or to the system's trust store).</summary>
    TlsUntrustedCertificate,

    /// <summary>The broker's certificate does not carry the expected server name.</summary>
    TlsNameMismatch,

    /// <summary>The TLS handshake failed for another reason, or the CA file, client certificate or key could not be loaded.</summary>
    TlsFailure,

    /// <summary>CONNACK refused the user name or password (5.0 reason 0x86, 3.1.1 return code 4).</summary>
    BadCredentials,

    /// <summary>CONNACK: not authorized to connect, or banned (5.0 0x87/0x8A, 3.1.1 return code 5).</summary>
    NotAuthorized,

    /// <summary>CONNACK refused the connection for a reason a retry will not fix (protocol version, client identifier, retain or QoS of the will).</summary>
    ConnectRefused,

    /// <summary>CONNACK: the broker is unavailable or busy, or refuses connections this fast, or points elsewhere; a later retry may succeed.</summary>
    BrokerUnavailable,

    /// <summary>The credentials file could not be read or has no user name.</summary>
    CredentialsFile,

    /// <summary>The broker broke the protocol: a malformed, oversized or unexpected packet. The connection was dropped.</summary>
    ProtocolViolation,

    /// <summary>No PINGRESP came back in time; the connection was presumed dead and dropped.</summary>
    KeepAliveTimeout,

    /// <summary>The connection closed or failed, possibly in the middle of a packet.</summary>
    ConnectionLost,

    /// <summary>The broker sent DISCONNECT (MQTT 5.0) with a reason.</summary>
    BrokerDisconnected,

    /// <summary>The broker refused one publication (MQTT 5.0 PUBACK reason ≥ 0x80, e.g. 0x87 by its ACL). The connection stays up.</summary>
    PublishRefused,
}
