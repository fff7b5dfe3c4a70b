namespace Appliance.Mqtt;

/// <summary>The last thing that went wrong: its category, a sentence that names the cause and the fix, the MQTT reason code when there is one, and when.</summary>
public sealed record MqttError(MqttErrorKind Kind, string Message, MqttReasonCode? ReasonCode, DateTimeOffset At)
{
    /// <summary>True when retrying will not help until a person changes something (credentials, certificates, ACL, configuration); the client then waits the long refusal backoff.</summary>
    public bool NeedsAttention => Kind is MqttErrorKind.BadCredentials or MqttErrorKind.NotAuthorized or MqttErrorKind.ConnectRefused
        or MqttErrorKind.TlsUntrustedCertificate or MqttErrorKind.TlsNameMismatch or MqttErrorKind.TlsFailure or MqttErrorKind.CredentialsFile;

    public override string ToString() => ReasonCode is { } code ? $"{Kind} (0x{(byte)code:X2} {code}): {Message}" : $"{Kind}: {Message}";
}
