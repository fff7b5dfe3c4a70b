namespace Appliance.Mqtt.Client;

/// <summary>
/// The publications of one client, in order: those waiting to be sent, and those handed to the connection and not
/// finished yet (QoS 1 until the broker's PUBACK, QoS 0 until written). Not thread-safe: the client holds its lock
/// around every call.
/// </summary>
internal sealed class PublishQueue
{
    /// <summary>QoS 0 publications handed to the connection and not yet written, at most: the queue in front of the socket stays short.</summary>
    public const int MaxUnwritten = 256;

    private readonly LinkedList<OutgoingPublish> _waiting = new();
    private readonly HashSet<OutgoingPublish> _handedOver = [];
    private int _unwritten;

    public int WaitingCount => _waiting.Count;

    /// <summary>QoS 1 publications sent and not yet acknowledged.</summary>
    public int InFlightCount => _handedOver.Count - _unwritten;

    public void Enqueue(OutgoingPublish publish) => _waiting.AddLast(publish);

    /// <summary>Puts a publication before every other one (the birth message).</summary>
    public void EnqueueFirst(OutgoingPublish publish) => _waiting.AddFirst(publish);

    /// <summary>Removes a publication that was not sent yet; false if it is already on its way.</summary>
    public bool RemoveWaiting(OutgoingPublish publish)
    {
        for (LinkedListNode<OutgoingPublish>? node = _waiting.First; node is not null; node = node.Next)
        {
            if (ReferenceEquals(node.Value, publish))
            {
                _waiting.Remove(node);
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The next publication to send, if any, and if it fits: a QoS 1 one in <paramref name="window"/> (MQTT 5.0 §4.9),
    /// a QoS 0 one under <see cref="MaxUnwritten"/>. Order is kept: nothing overtakes the first waiting publication.
    /// </summary>
    public bool TryTakeNext(int window, out OutgoingPublish? publish)
    {
        publish = _waiting.First?.Value;
        if (publish is null
            || (publish.Qos == MqttQos.AtLeastOnce && InFlightCount >= window)
            || (publish.Qos == MqttQos.AtMostOnce && _unwritten >= MaxUnwritten))
        {
            publish = null;
            return false;
        }

        _waiting.RemoveFirst();
        _handedOver.Add(publish);
        if (publish.Qos == MqttQos.AtMostOnce)
        {
            _unwritten++;
        }

        return true;
    }

    /// <summary>A publication handed over has finished on its connection; false if it was not handed over (or already finished).</summary>
    public bool Finish(OutgoingPublish publish)
    {
        if (!_handedOver.Remove(publish))
        {
            return false;
        }

        if (publish.Qos == MqttQos.AtMostOnce)
        {
            _unwritten--;
        }

        return true;
    }

    /// <summary>
    /// After a connection is lost: every publication handed over and not finished (QoS 1 unacknowledged, QoS 0
    /// unwritten) goes back in front of the queue in its original order, QoS 1 ones marked DUP. Internal messages
    /// are returned instead, for the caller to drop: the next connection sends fresh ones.
    /// </summary>
    public List<OutgoingPublish> RequeueAfterDisconnect()
    {
        var back = new List<OutgoingPublish>(_handedOver);
        _handedOver.Clear();
        _unwritten = 0;
        back.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        var dropped = new List<OutgoingPublish>();
        for (int i = back.Count - 1; i >= 0; i--)
        {
            OutgoingPublish publish = back[i];
            if (publish.Internal)
            {
                dropped.Add(publish);
                continue;
            }

            publish.Dup = publish.Qos == MqttQos.AtLeastOnce;
            _waiting.AddFirst(publish);
        }

        for (LinkedListNode<OutgoingPublish>? node = _waiting.First; node is not null;)
        {
            LinkedListNode<OutgoingPublish>? next = node.Next;
            if (node.Value.Internal)
            {
                dropped.Add(node.Value);
                _waiting.Remove(node);
            }

            node = next;
        }

        return dropped;
    }

    /// <summary>Empties the queue (the client stopped) and returns everything that was in it.</summary>
    public List<OutgoingPublish> DrainAll()
    {
        var all = new List<OutgoingPublish>(_handedOver);
        all.AddRange(_waiting);
        _handedOver.Clear();
        _waiting.Clear();
        _unwritten = 0;
        return all;
    }
}
