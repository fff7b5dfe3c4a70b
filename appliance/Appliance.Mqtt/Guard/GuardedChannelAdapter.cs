using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Adapter;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace Appliance.Mqtt.Guard;

/// <summary>
/// MQTTnet's channel adapter (framing, encoding, decoding) with the packet-level part of the guard around it:
/// every QoS 1 PUBLISH and SUBSCRIBE is noted before it is written (so a PUBACK or SUBACK can be checked against
/// it), CONNECT carries our keep-alive while MQTTnet's own keep-alive loop stays off (the client pings on its own
/// clock), and the broker's Server Keep Alive is taken out of CONNACK for the client to use, because MQTTnet 5.2
/// would otherwise start its loop with a zero period and ping every 250 ms.
/// </summary>
internal sealed class GuardedChannelAdapter : IMqttChannelAdapter
{
    private readonly IMqttChannelAdapter _inner;
    private readonly ConnectionGuard _guard;

    public GuardedChannelAdapter(IMqttChannelAdapter inner, ConnectionGuard guard)
    {
        _inner = inner;
        _guard = guard;
    }

    public long BytesReceived => _inner.BytesReceived;

    public long BytesSent => _inner.BytesSent;

    public X509Certificate2 ClientCertificate => _inner.ClientCertificate;

    public EndPoint RemoteEndPoint => _inner.RemoteEndPoint;

    public EndPoint LocalEndPoint => _inner.LocalEndPoint;

    public bool IsSecureConnection => _inner.IsSecureConnection;

    public MqttPacketFormatterAdapter PacketFormatterAdapter => _inner.PacketFormatterAdapter;

    public Task ConnectAsync(CancellationToken cancellationToken) => _inner.ConnectAsync(cancellationToken);

    public Task DisconnectAsync(CancellationToken cancellationToken) => _inner.DisconnectAsync(cancellationToken);

    public void ResetStatistics() => _inner.ResetStatistics();

    public void Dispose() => _inner.Dispose();

    public Task SendPacketAsync(MqttPacket packet, CancellationToken cancellationToken)
    {
        switch (packet)
        {
            case MqttPublishPacket { QualityOfServiceLevel: MqttQualityOfServiceLevel.AtLeastOnce } publish:
                _guard.PublishSent(publish.PacketIdentifier);
                break;
            case MqttSubscribePacket subscribe:
                _guard.SubscribeSent(subscribe.PacketIdentifier, subscribe.TopicFilters.Count);
                break;
            case MqttConnectPacket connect:
                connect.KeepAlivePeriod = _guard.KeepAliveSeconds;
                break;
        }

        return SendAsync(packet, cancellationToken);
    }

    private async Task SendAsync(MqttPacket packet, CancellationToken cancellationToken)
    {
        _guard.SendStarted();
        try
        {
            await _inner.SendPacketAsync(packet, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _guard.SendEnded();
        }
    }

    public async Task<MqttPacket> ReceivePacketAsync(CancellationToken cancellationToken)
    {
        MqttPacket packet = await _inner.ReceivePacketAsync(cancellationToken).ConfigureAwait(false);
        if (packet is MqttConnAckPacket connAck && connAck.ServerKeepAlive > 0)
        {
            _guard.ServerKeepAlive = connAck.ServerKeepAlive;
            connAck.ServerKeepAlive = 0;
        }

        return packet;
    }
}
