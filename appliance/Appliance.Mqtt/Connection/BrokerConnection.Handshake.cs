using System.Text;
using Appliance.Mqtt.Packets;

namespace Appliance.Mqtt.Connection;

/// <summary>CONNECT and CONNACK (MQTT 5.0 §3.1, §3.2; 3.1.1 §3.1, §3.2).</summary>
internal sealed partial class BrokerConnection
{
    /// <summary>
    /// Sends CONNECT (clean start, keep-alive, the Last Will "offline" retained on the status topic, and in 5.0
    /// our Maximum Packet Size) and reads the CONNACK, which must be the broker's first packet. A refusal
    /// becomes an <see cref="MqttConnectionException"/> whose kind says whether a retry can help.
    /// </summary>
    public async Task HandshakeAsync(Credentials? credentials, CancellationToken cancellationToken)
    {
        bool v5 = Version == MqttProtocolVersion.V500;
        var connect = new ConnectPacket
        {
            ProtocolVersion = Version,
            ClientId = _options.ClientId,
            CleanStart = true,
            KeepAliveSeconds = (ushort)_options.KeepAlive.TotalSeconds,
            UserName = credentials?.UserName,
            Password = credentials?.Password,
            Will = new MqttWill
            {
                Topic = _options.StatusTopic,
                Payload = Encoding.UTF8.GetBytes(MqttClientOptions.OfflinePayload),
                Qos = 1,
                Retain = true,
            },
            Properties = v5 ? new MqttProperties { MaximumPacketSize = (uint)_options.MaximumPacketSize } : new MqttProperties(),
        };
        await WriteAsync(connect, cancellationToken);

        MqttPacket first = await ReadPacketAsync(cancellationToken);
        if (first is not ConnAckPacket connAck)
        {
            MqttProtocolException.ThrowProtocolError(
                $"the broker sent {PacketBodyReader.Describe(first.Type)} before CONNACK; CONNACK must be its first packet (MQTT 5.0 §3.2, 3.1.1 §3.2)");
            return;
        }

        if (connAck.ReasonCode != 0)
        {
            throw new MqttConnectionException(Refusal(connAck, credentials));
        }

        if (connAck.SessionPresent)
        {
            MqttProtocolException.ThrowProtocolError("CONNACK has Session Present though the client asked for a clean start (MQTT 5.0 §3.2.2.1.1, 3.1.1 §3.2.2.2)");
        }

        MqttProperties p = connAck.Properties;
        Window = Math.Min(_options.MaxInFlight, p.ReceiveMaximum ?? ushort.MaxValue);
        ServerMaximumPacketSize = p.MaximumPacketSize ?? long.MaxValue;
        RetainAvailable = p.RetainAvailable != 0;
        MaximumQos = p.MaximumQos == 0 ? MqttQos.AtMostOnce : MqttQos.AtLeastOnce;
        KeepAlive = p.ServerKeepAlive is { } serverKeepAlive ? TimeSpan.FromSeconds(serverKeepAlive) : TimeSpan.FromSeconds((ushort)_options.KeepAlive.TotalSeconds);
    }

    private MqttError Refusal(ConnAckPacket connAck, Credentials? credentials)
    {
        // 3.1.1 §3.2.2.3 return codes 1-5 map onto MQTT 5.0 §3.2.2.2 reason codes.
        MqttReasonCode code = Version == MqttProtocolVersion.V500
            ? (MqttReasonCode)connAck.ReasonCode
            : connAck.ReasonCode switch
            {
                1 => MqttReasonCode.UnsupportedProtocolVersion,
                2 => MqttReasonCode.ClientIdentifierNotValid,
                3 => MqttReasonCode.ServerUnavailable,
                4 => MqttReasonCode.BadUserNameOrPassword,
                _ => MqttReasonCode.NotAuthorized,
            };
        string wire = Version == MqttProtocolVersion.V500 ? $"CONNACK reason 0x{connAck.ReasonCode:X2}" : $"CONNACK return code {connAck.ReasonCode}";
        string who = credentials is null
            ? "without credentials (no credentials_file is set)"
            : $"as user \"{credentials.UserName}\" (from {_options.CredentialsFile})";
        (MqttErrorKind kind, string text) = code switch
        {
            MqttReasonCode.BadUserNameOrPassword =>
                (MqttErrorKind.BadCredentials, $"bad credentials: the broker refused the user name or password {who} ({wire}); correct the credentials file"),
            MqttReasonCode.NotAuthorized or MqttReasonCode.Banned =>
                (MqttErrorKind.NotAuthorized, $"not authorized: the broker does not let client \"{_options.ClientId}\" connect {who} ({wire} {code}); {(credentials is null
                    ? "it may require a user name and password: set credentials_file"
                    : "check the user name and password in the credentials file (mosquitto answers a wrong password this way) and the broker's authorization settings")}"),
            MqttReasonCode.UnsupportedProtocolVersion =>
                (MqttErrorKind.ConnectRefused, $"the broker does not speak MQTT {(Version == MqttProtocolVersion.V500 ? "5.0" : "3.1.1")} ({wire}); set protocol to the other version"),
            MqttReasonCode.ClientIdentifierNotValid =>
                (MqttErrorKind.ConnectRefused, $"the broker refuses the client id \"{_options.ClientId}\" ({wire}); choose another client_id"),
            MqttReasonCode.ServerUnavailable or MqttReasonCode.ServerBusy or MqttReasonCode.ConnectionRateExceeded
                or MqttReasonCode.UseAnotherServer or MqttReasonCode.ServerMoved or MqttReasonCode.QuotaExceeded =>
                (MqttErrorKind.BrokerUnavailable, $"the broker cannot take the connection now ({wire} {code}); retrying with backoff"),
            _ => (MqttErrorKind.ConnectRefused, $"the broker refused the connection ({wire} {code})"),
        };
        if (connAck.Properties.ReasonString is { } reason)
        {
            text += $"; broker says: {reason}";
        }

        if (connAck.Properties.ServerReference is { } reference)
        {
            text += $"; it points to {reference}";
        }

        return new MqttError(kind, text, code, _client.Now());
    }
}
