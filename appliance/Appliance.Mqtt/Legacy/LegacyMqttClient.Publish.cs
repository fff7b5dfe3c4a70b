using System.Text;
using Appliance.Mqtt.Connection;
using Appliance.Mqtt.Packets;

namespace Appliance.Mqtt;

/// <summary>Publishing: accepting publications, handing them to the connection in order, completing them.</summary>
public sealed partial class LegacyMqttClient
{
    /// <summary>
    /// Publishes a message. Completes with <see cref="PublishStatus.Written"/> once a QoS 0 PUBLISH is written,
    /// or <see cref="PublishStatus.Acknowledged"/> (with its packet identifier) once the broker's PUBACK accepts
    /// a QoS 1 one. While the client is disconnected it waits: QoS 1 messages in flight when a connection drops
    /// are re-sent with DUP after the reconnect. Cancelling stops the wait; a message not sent yet is withdrawn.
    /// </summary>
    public ValueTask<PublishOutcome> PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQos qos, bool retain, CancellationToken cancellationToken = default) =>
        PublishAsync(topic, payload, qos, retain, [], cancellationToken);

    /// <summary>
    /// As <see cref="PublishAsync(string, ReadOnlyMemory{byte}, MqttQos, bool, CancellationToken)"/>, with MQTT 5.0 User
    /// Properties (ignored on 3.1.1): a spool marks replayed messages with <c>historical=true</c> this way.
    /// </summary>
    public ValueTask<PublishOutcome> PublishAsync(
        string topic, ReadOnlyMemory<byte> payload, MqttQos qos, bool retain, IReadOnlyList<MqttUserProperty> userProperties, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(userProperties);
        if (MqttTopic.ProblemWithName(topic, allowEmpty: false) is { } problem)
        {
            throw new ArgumentException($"topic {problem}", nameof(topic));
        }

        PacketWriter.MeasureString(topic, nameof(topic));
        foreach (MqttUserProperty property in userProperties)
        {
            PacketWriter.MeasureString(property.Name, "user property name");
            PacketWriter.MeasureString(property.Value, "user property value");
        }

        if (qos is not (MqttQos.AtMostOnce or MqttQos.AtLeastOnce))
        {
            throw new ArgumentOutOfRangeException(nameof(qos), qos, "QoS is 0 or 1");
        }

        cancellationToken.ThrowIfCancellationRequested();
        OutgoingPublish publish;
        lock (_gate)
        {
            if (_stopped)
            {
                return new ValueTask<PublishOutcome>(new PublishOutcome(PublishStatus.Stopped, 0, MqttReasonCode.Success, null));
            }

            publish = new OutgoingPublish
            {
                Topic = topic,
                Payload = payload,
                Qos = qos,
                Retain = retain,
                UserProperties = userProperties,
                Sequence = ++_sequence,
            };
            _queue.Enqueue(publish);
        }

        if (cancellationToken.CanBeCanceled)
        {
            publish.Cancellation = cancellationToken.Register(() => Withdraw(publish, cancellationToken));
            if (publish.Completion.IsCompleted)
            {
                publish.Cancellation.Dispose();
            }
        }

        Wake();
        return new ValueTask<PublishOutcome>(publish.Completion);
    }

    /// <summary>The client's own retained message on the status topic or the health topic, sent before anything queued.</summary>
    internal void EnqueueInternal(string topic, byte[] payload, MqttQos qos)
    {
        lock (_gate)
        {
            _queue.EnqueueFirst(new OutgoingPublish
            {
                Topic = topic,
                Payload = payload,
                Qos = qos,
                Retain = true,
                Sequence = 0,
                Internal = true,
            });
        }

        Wake();
    }

    /// <summary>Takes publications in order for one write, while the in-flight window has room.</summary>
    internal void TakeBatch(List<OutgoingPublish> batch, int window, int maxCount, int maxBytes)
    {
        int bytes = 0;
        lock (_gate)
        {
            while (batch.Count < maxCount && bytes < maxBytes && _queue.TryTakeNext(window, out OutgoingPublish? publish))
            {
                batch.Add(publish!);
                bytes += publish!.Payload.Length + (publish.Topic.Length * 3) + 16;
            }
        }
    }

    /// <summary>QoS 0 publications were written: they are done.</summary>
    internal void OnWritten(List<OutgoingPublish> batch)
    {
        int written = 0;
        foreach (OutgoingPublish publish in batch)
        {
            if (publish.Qos == MqttQos.AtMostOnce)
            {
                publish.Complete(new PublishOutcome(PublishStatus.Written, 0, MqttReasonCode.Success, null));
                written += publish.Internal ? 0 : 1;
            }
        }

        Interlocked.Add(ref _published, written);
    }

    /// <summary>
    /// A PUBACK arrived. An identifier with no publication in flight is a protocol violation: the broker
    /// acknowledges something this client never sent (or already had acknowledged).
    /// </summary>
    internal void OnPublishAcknowledged(ushort packetId, byte reasonCode, string? reasonString)
    {
        OutgoingPublish? publish;
        lock (_gate)
        {
            publish = _queue.Acknowledge(packetId);
        }

        if (publish is null)
        {
            MqttProtocolException.ThrowProtocolError($"PUBACK for packet identifier {packetId}, which is not in flight (MQTT 5.0 §4.3.2)");
        }

        var code = (MqttReasonCode)reasonCode;
        if (reasonCode < 0x80)
        {
            publish.Complete(new PublishOutcome(PublishStatus.Acknowledged, packetId, code, reasonString));
            if (!publish.Internal)
            {
                Interlocked.Increment(ref _published);
            }
        }
        else
        {
            Refuse(publish, code, reasonString, packetId);
        }

        Wake();
    }

    /// <summary>A publication the broker will not take; the connection stays up and the reason is reported per message.</summary>
    internal void Refuse(OutgoingPublish publish, MqttReasonCode code, string? reasonString, ushort packetId, PublishStatus status = PublishStatus.Refused)
    {
        lock (_gate)
        {
            _queue.Forget(publish);
            _refused++;
            string why = code == MqttReasonCode.NotAuthorized
                ? $"the broker's ACL does not allow publishing to \"{publish.Topic}\" (PUBACK 0x87 Not authorized); grant this client write access to the topic"
                : $"the broker refused a publication to \"{publish.Topic}\" ({status}, reason 0x{(byte)code:X2} {code})";
            _lastError = new MqttError(MqttErrorKind.PublishRefused, reasonString is null ? why : $"{why}; broker says: {reasonString}", code, Now());
        }

        Log.PublishRefused(_logger, publish.Topic, (byte)code, reasonString ?? code.ToString());
        publish.Complete(new PublishOutcome(status, packetId, code, reasonString));
        RaiseStatus();
        Wake();
    }

    private void Withdraw(OutgoingPublish publish, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _queue.RemoveWaiting(publish);
        }

        publish.Cancel(cancellationToken);
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
