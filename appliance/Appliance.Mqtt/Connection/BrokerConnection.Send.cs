using System.Buffers;
using Appliance.Mqtt.Packets;

namespace Appliance.Mqtt.Connection;

/// <summary>The send loop: publications in order, as many per write as fit, inside the in-flight window.</summary>
internal sealed partial class BrokerConnection
{
    private const int ShrinkAbove = 256 * 1024;

    private async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        var batch = new List<OutgoingPublish>();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            batch.Clear();
            _client.TakeBatch(batch, Window, MaxBatchCount, MaxBatchBytes);
            if (batch.Count == 0)
            {
                await _client.WaitForWorkAsync(cancellationToken);
                continue;
            }

            await WriteBatchAsync(batch, cancellationToken);
        }
    }

    /// <summary>
    /// Encodes the batch into one buffer and writes it. A stop request cancels a write that the broker does not
    /// drain (it stopped reading), so stopping never hangs; the goodbye is then skipped. A publication the broker said it cannot take (too
    /// large, retain or QoS not available) is refused alone. If the write fails, its QoS 0 publications are
    /// kept for the next connection; QoS 1 ones are in flight already and are re-sent with DUP.
    /// </summary>
    private async Task WriteBatchAsync(List<OutgoingPublish> batch, CancellationToken cancellationToken)
    {
        bool locked = false;
        try
        {
            await _writeLock.WaitAsync(cancellationToken);
            locked = true;
            _send.Clear();
            for (int i = 0; i < batch.Count; i++)
            {
                OutgoingPublish publish = batch[i];
                if (Unacceptable(publish) is { } refusal)
                {
                    _client.Refuse(publish, refusal.Code, refusal.Reason, 0, refusal.Status);
                    batch.RemoveAt(i--);
                    continue;
                }

                MqttPacketWriter.Write(ToPacket(publish), Version, _send);
            }

            if (_send.WrittenCount > 0)
            {
                await WriteBufferAsync(cancellationToken);
            }

            if (_send.Capacity > ShrinkAbove)
            {
                _send = new ArrayBufferWriter<byte>(4096);
            }
        }
        catch
        {
            lock (_unwritten)
            {
                _unwritten.AddRange(batch.Where(p => p.Qos == MqttQos.AtMostOnce));
            }

            throw;
        }
        finally
        {
            if (locked)
            {
                _writeLock.Release();
            }
        }

        _client.OnWritten(batch);
    }

    private (MqttReasonCode Code, string Reason, PublishStatus Status)? Unacceptable(OutgoingPublish publish)
    {
        if (publish.Retain && !RetainAvailable)
        {
            return (MqttReasonCode.RetainNotSupported, "the broker does not support retained messages (CONNACK Retain Available 0)", PublishStatus.Refused);
        }

        if (publish.Qos > MaximumQos)
        {
            return (MqttReasonCode.QosNotSupported, "the broker accepts QoS 0 only (CONNACK Maximum QoS 0)", PublishStatus.Refused);
        }

        long size = MqttPacketWriter.Measure(ToPacket(publish), Version);
        return size > ServerMaximumPacketSize
            ? (MqttReasonCode.PacketTooLarge, $"the PUBLISH is {size} bytes; the broker's Maximum Packet Size is {ServerMaximumPacketSize}", PublishStatus.TooLarge)
            : null;
    }

    private PublishPacket ToPacket(OutgoingPublish publish)
    {
        MqttProperties properties = new MqttProperties();
        if (publish.UserProperties.Count > 0 && Version == MqttProtocolVersion.V500)
        {
            properties = new MqttProperties();
            properties.UserProperties.AddRange(publish.UserProperties);
        }

        return new PublishPacket
        {
            Dup = publish.Dup,
            Qos = (byte)publish.Qos,
            Retain = publish.Retain,
            Topic = publish.Topic,
            PacketId = publish.PacketId,
            Properties = properties,
            Payload = publish.Payload,
        };
    }
}
