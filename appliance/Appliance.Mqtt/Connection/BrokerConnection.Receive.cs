using Appliance.Mqtt.Packets;

namespace Appliance.Mqtt.Connection;

/// <summary>The receive loop: every packet the broker sends after CONNACK, checked against what this client can have asked for.</summary>
internal sealed partial class BrokerConnection
{
    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            MqttPacket packet = await ReadPacketAsync(cancellationToken);
            switch (packet)
            {
                case PublishAckPacket { Type: MqttPacketType.PubAck } ack:
                    _client.OnPublishAcknowledged(ack.PacketId, ack.ReasonCode, ack.Properties.ReasonString);
                    break;
                case PublishPacket publish:
                    await OnPublishAsync(publish, cancellationToken);
                    break;
                case SubAckPacket subAck:
                    _client.OnSubscribeAcknowledged(subAck);
                    break;
                case PingRespPacket:
                    Volatile.Read(ref _pong)?.TrySetResult();
                    break;
                case DisconnectPacket disconnect when Version == MqttProtocolVersion.V500:
                    throw new MqttConnectionException(BrokerDisconnected(disconnect));
                case ConnAckPacket:
                    MqttProtocolException.ThrowProtocolError("the broker sent a second CONNACK (MQTT 5.0 §3.2: it is sent once, first)");
                    break;
                case AuthPacket:
                    MqttProtocolException.ThrowProtocolError("the broker sent AUTH though the client sent no Authentication Method (MQTT 5.0 §4.12)");
                    break;
                case PublishAckPacket flow:
                    MqttProtocolException.ThrowProtocolError(
                        $"the broker sent {PacketBodyReader.Describe(flow.Type)} for packet identifier {flow.PacketId}: a QoS 2 flow, but this client never publishes with QoS 2 (MQTT 5.0 §4.3.3)");
                    break;
                case UnsubAckPacket:
                    MqttProtocolException.ThrowProtocolError("the broker sent UNSUBACK, but this client never sends UNSUBSCRIBE (MQTT 5.0 §3.11)");
                    break;
                default:
                    MqttProtocolException.ThrowProtocolError(
                        $"the broker sent {PacketBodyReader.Describe(packet.Type)}, a packet only a client sends (MQTT 5.0 §2.1.2, 3.1.1 §2.2.1)");
                    break;
            }
        }
    }

    /// <summary>
    /// Reads the next packet. The fixed header is checked against the maximum packet size as soon as its
    /// bytes are in, so the buffer never grows past the maximum; end of stream inside a packet is reported as such.
    /// </summary>
    private async ValueTask<MqttPacket> ReadPacketAsync(CancellationToken cancellationToken)
    {
        MqttPacket? packet;
        while (!_receive.TryRead(_settings, out packet))
        {
            int read = await _stream.ReadAsync(_receive.Free, cancellationToken);
            if (read == 0)
            {
                string text = _receive.Buffered == 0
                    ? $"the broker {_options.Broker} closed the connection"
                    : $"the broker {_options.Broker} closed the connection in the middle of a packet: {_receive.DescribePartial(_settings)}";
                throw new MqttConnectionException(new MqttError(MqttErrorKind.ConnectionLost, text, null, _client.Now()));
            }

            _receive.Commit(read);
        }

        return packet!;
    }

    private async Task OnPublishAsync(PublishPacket publish, CancellationToken cancellationToken)
    {
        if (publish.Qos > 1)
        {
            MqttProtocolException.ThrowProtocolError(
                $"the broker sent a QoS {publish.Qos} PUBLISH to \"{publish.Topic}\", above the QoS 1 this client subscribes with (MQTT 5.0 §3.8.4); QoS 2 is refused");
        }

        if (publish.Properties.TopicAlias is not null)
        {
            MqttProtocolException.Throw(
                MqttReasonCode.TopicAliasInvalid, "the broker sent a Topic Alias, but this client allows none (Topic Alias Maximum 0, MQTT 5.0 §3.3.2.3.4)");
        }

        if (_options.MessageReceived is { } handler)
        {
            var message = new MqttReceivedMessage(
                publish.Topic, publish.Payload, (MqttQos)publish.Qos, publish.Retain, publish.Dup, publish.Properties.UserProperties);
            try
            {
                await handler(message);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.HandlerFailed(_logger, publish.Topic, e);
            }
        }

        if (publish.Qos == 1)
        {
            await WriteAsync(new PublishAckPacket { PacketId = publish.PacketId }, cancellationToken);
        }
    }

    private MqttError BrokerDisconnected(DisconnectPacket disconnect)
    {
        var code = (MqttReasonCode)disconnect.ReasonCode;
        string text = $"the broker sent DISCONNECT with reason 0x{disconnect.ReasonCode:X2} {code}";
        if (disconnect.Properties.ReasonString is { } reason)
        {
            text += $": {reason}";
        }

        if (disconnect.Properties.ServerReference is { } reference)
        {
            text += $"; it points to {reference}";
        }

        return new MqttError(MqttErrorKind.BrokerDisconnected, text, code, _client.Now());
    }
}
