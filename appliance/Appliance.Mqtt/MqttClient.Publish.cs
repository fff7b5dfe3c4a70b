using System.Text;
using Appliance.Mqtt.Client;
using MQTTnet;

namespace Appliance.Mqtt;

/// <summary>Publishing: accepting publications, handing them to the connection in order, completing them.</summary>
public sealed partial class MqttClient
{
    private TaskCompletionSource? _queued;

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
        ArgumentNullException.ThrowIfNull(userProperties);
        return Accept(topic, payload, qos, retain, userProperties, null, cancellationToken);
    }

    /// <summary>
    /// As <see cref="PublishAsync(string, ReadOnlyMemory{byte}, MqttQos, bool, IReadOnlyList{MqttUserProperty}, CancellationToken)"/>,
    /// with the MQTT 5.0 User Properties decided when the PUBLISH actually leaves: <paramref name="userPropertiesWhenSent"/>
    /// is asked each time it is written, a re-send after a reconnect included. A spool marks a message historical this
    /// way by its age at that moment, not when it was handed over. What it returns must be valid MQTT strings.
    /// </summary>
    public ValueTask<PublishOutcome> PublishAsync(
        string topic, ReadOnlyMemory<byte> payload, MqttQos qos, bool retain, Func<IReadOnlyList<MqttUserProperty>> userPropertiesWhenSent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userPropertiesWhenSent);
        return Accept(topic, payload, qos, retain, [], userPropertiesWhenSent, cancellationToken);
    }

    private ValueTask<PublishOutcome> Accept(
        string topic,
        ReadOnlyMemory<byte> payload,
        MqttQos qos,
        bool retain,
        IReadOnlyList<MqttUserProperty> userProperties,
        Func<IReadOnlyList<MqttUserProperty>>? userPropertiesWhenSent,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (MqttText.ProblemWithTopicName(topic) is { } problem)
        {
            throw new ArgumentException($"topic {problem}", nameof(topic));
        }

        foreach (MqttUserProperty property in userProperties)
        {
            MqttText.Check(property.Name, "user property name", nameof(userProperties));
            MqttText.Check(property.Value, "user property value", nameof(userProperties));
        }

        if (qos is not (MqttQos.AtMostOnce or MqttQos.AtLeastOnce))
        {
            throw new ArgumentOutOfRangeException(nameof(qos), qos, "QoS is 0 or 1");
        }

        cancellationToken.ThrowIfCancellationRequested();
        OutgoingPublish publish;
        TaskCompletionSource? queued;
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
                UserPropertiesWhenSent = userPropertiesWhenSent,
                Sequence = ++_sequence,
            };
            _queue.Enqueue(publish);
            queued = _queued;
            _queued = null;
        }

        queued?.TrySetResult();

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

    /// <summary>True while publications wait to be handed to the connection.</summary>
    internal bool HasWaiting
    {
        get
        {
            lock (_gate)
            {
                return _queue.WaitingCount > 0;
            }
        }
    }

    /// <summary>Completes the next time a publication is queued.</summary>
    internal Task WhenQueued()
    {
        lock (_gate)
        {
            _queued ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _queued.Task;
        }
    }

    /// <summary>The next publication for the connection, in order, while the in-flight window has room.</summary>
    internal bool TryTakeNext(int window, out OutgoingPublish? publish)
    {
        lock (_gate)
        {
            return _queue.TryTakeNext(window, out publish);
        }
    }

    /// <summary>MQTTnet finished a publication: written (QoS 0), or answered by a PUBACK (QoS 1) that accepts or refuses it.</summary>
    internal void OnPublished(OutgoingPublish publish, MqttClientPublishResult result)
    {
        lock (_gate)
        {
            if (!_queue.Finish(publish))
            {
                return;
            }
        }

        var code = (MqttReasonCode)(byte)result.ReasonCode;
        ushort packetId = result.PacketIdentifier ?? 0;
        if (publish.Qos == MqttQos.AtMostOnce)
        {
            publish.Complete(new PublishOutcome(PublishStatus.Written, 0, MqttReasonCode.Success, null));
        }
        else if ((byte)code < 0x80)
        {
            publish.Complete(new PublishOutcome(PublishStatus.Acknowledged, packetId, code, result.ReasonString));
        }
        else
        {
            Refuse(publish, code, result.ReasonString, packetId);
            return;
        }

        if (!publish.Internal)
        {
            Interlocked.Increment(ref _published);
        }

        Wake();
    }

    /// <summary>A publication the broker will not take; the connection stays up and the reason is reported per message.</summary>
    internal void Refuse(OutgoingPublish publish, MqttReasonCode code, string? reasonString, ushort packetId, PublishStatus status = PublishStatus.Refused)
    {
        lock (_gate)
        {
            _queue.Finish(publish);
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
        bool withdrawn;
        lock (_gate)
        {
            withdrawn = _queue.RemoveWaiting(publish);
        }

        if (withdrawn)
        {
            publish.Cancel(cancellationToken);
        }
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
