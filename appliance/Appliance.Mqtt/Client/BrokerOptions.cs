using System.Net;
using System.Net.Sockets;
using System.Text;
using Appliance.Mqtt.Guard;
using MQTTnet;
using MQTTnet.Protocol;
using NetProtocolVersion = MQTTnet.Formatter.MqttProtocolVersion;

namespace Appliance.Mqtt.Client;

/// <summary>
/// MQTTnet's options for one connection, from ours: clean start, client id, credentials, the Last Will "offline"
/// (QoS 1, retained) on the status topic, our Maximum Packet Size (5.0), TLS. Keep-alive is 0 here so that MQTTnet
/// runs no keep-alive loop of its own; <see cref="GuardedChannelAdapter"/> writes ours into the CONNECT.
/// </summary>
internal static class BrokerOptions
{
    /// <summary>Socket send and receive buffers: MQTTnet's default of 8 KiB would cap throughput on a busy link.</summary>
    private const int SocketBufferSize = 128 * 1024;

    public static MQTTnet.MqttClientOptions Build(MqttClientOptions options, Credentials? credentials, ConnectionGuard guard, Func<DateTimeOffset> now)
    {
        bool v5 = options.Protocol == MqttProtocolVersion.V500;
        var broker = new DnsEndPoint(options.Broker.Host, options.Broker.Port);
        MqttClientOptionsBuilder builder = new MqttClientOptionsBuilder()
            .WithEndPoint(broker)
            .WithTcpServer(tcp =>
            {
                tcp.RemoteEndpoint = broker;
                tcp.NoDelay = true;
                tcp.BufferSize = SocketBufferSize;
                tcp.LingerState = new LingerOption(false, 0);
                tcp.ProtocolType = ProtocolType.Tcp;
            })
            .WithProtocolVersion(v5 ? NetProtocolVersion.V500 : NetProtocolVersion.V311)
            .WithClientId(options.ClientId)
            .WithCleanSession()
            .WithNoKeepAlive()
            .WithTimeout(options.ConnectTimeout)
            .WithWillTopic(options.StatusTopic)
            .WithWillPayload(Encoding.UTF8.GetBytes(MqttClientOptions.OfflinePayload))
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithWillRetain();
        if (v5)
        {
            builder = builder.WithMaximumPacketSize((uint)options.MaximumPacketSize).WithRequestProblemInformation();
        }

        if (credentials is not null)
        {
            builder = builder.WithCredentials(credentials.UserName, credentials.Password);
        }

        if (options.Broker.UseTls)
        {
            builder = builder.WithTlsOptions(TlsSettings.Build(options, guard, now));
        }

        return builder.Build();
    }
}
