using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Implementations;

namespace Appliance.Mqtt.Guard;

/// <summary>Builds MQTTnet's adapter for one connection the way its default factory does, with the guard in front: MQTTnet's TCP/TLS channel inside a <see cref="GuardedChannel"/>, the adapter inside a <see cref="GuardedChannelAdapter"/>.</summary>
internal sealed class GuardedAdapterFactory : IMqttClientAdapterFactory
{
    private readonly ConnectionGuard _guard;

    public GuardedAdapterFactory(ConnectionGuard guard)
    {
        _guard = guard;
    }

    public IMqttChannelAdapter CreateClientAdapter(MQTTnet.MqttClientOptions options, MqttPacketInspector packetInspector, IMqttNetLogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var channel = new GuardedChannel(new MqttTcpChannel(options), _guard);
        var formatter = new MqttPacketFormatterAdapter(options.ProtocolVersion, new MqttBufferWriter(options.WriterBufferSize, options.WriterBufferSizeMax));
        var adapter = new MqttChannelAdapter(channel, formatter, logger) { AllowPacketFragmentation = options.AllowPacketFragmentation };
        return new GuardedChannelAdapter(adapter, _guard);
    }
}
