namespace Appliance.Mqtt.Connection;

/// <summary>
/// The publications of one client, in order: those waiting to be sent and the QoS 1 ones in flight, keyed
/// by packet identifier. It also hands out packet identifiers for SUBSCRIBE. Not thread-safe: the client
/// holds its lock around every call.
/// </summary>
internal sealed class PublishQueue
{
    private readonly LinkedList<OutgoingPublish> _waiting = new();
    private readonly Dictionary<ushort, OutgoingPublish> _inFlight = [];
    private readonly HashSet<ushort> _reserved = [];
    private ushort _lastId;

    public int WaitingCount => _waiting.Count;

    public int InFlightCount => _inFlight.Count;

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
    /// The next publication to send, if any, and if a QoS 1 one fits in <paramref name="window"/>. A QoS 1
    /// publication gets its packet identifier (once) and moves in flight.
    /// </summary>
    public bool TryTakeNext(int window, out OutgoingPublish? publish)
    {
        publish = _waiting.First?.Value;
        if (publish is null || (publish.Qos == MqttQos.AtLeastOnce && _inFlight.Count >= window))
        {
            publish = null;
            return false;
        }

        _waiting.RemoveFirst();
        if (publish.Qos == MqttQos.AtLeastOnce)
        {
            if (publish.PacketId == 0 || _inFlight.ContainsKey(publish.PacketId) || _reserved.Contains(publish.PacketId))
            {
                publish.PacketId = NextFreeId();
            }

            _inFlight.Add(publish.PacketId, publish);
        }

        return true;
    }

    /// <summary>Removes and returns the in-flight publication a PUBACK names; null if none has that identifier.</summary>
    public OutgoingPublish? Acknowledge(ushort packetId) => _inFlight.Remove(packetId, out OutgoingPublish? publish) ? publish : null;

    /// <summary>Releases the identifier of an in-flight publication that will not be sent after all.</summary>
    public void Forget(OutgoingPublish publish)
    {
        if (publish.PacketId != 0 && _inFlight.TryGetValue(publish.PacketId, out OutgoingPublish? held) && ReferenceEquals(held, publish))
        {
            _inFlight.Remove(publish.PacketId);
        }
    }

    /// <summary>A packet identifier for SUBSCRIBE, unused by any publication, until <see cref="Release"/>.</summary>
    public ushort Reserve()
    {
        ushort id = NextFreeId();
        _reserved.Add(id);
        return id;
    }

    public void Release(ushort packetId) => _reserved.Remove(packetId);

    /// <summary>
    /// After a connection is lost: every unacknowledged QoS 1 publication, and every publication whose write
    /// did not complete (<paramref name="unwritten"/>), goes back in front of the queue in its original order,
    /// marked DUP if it may have been sent. Internal messages are returned instead, for the caller to drop.
    /// </summary>
    public List<OutgoingPublish> RequeueAfterDisconnect(IEnumerable<OutgoingPublish> unwritten)
    {
        var back = new List<OutgoingPublish>(_inFlight.Values);
        back.AddRange(unwritten);
        _inFlight.Clear();
        _reserved.Clear();
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
        var all = new List<OutgoingPublish>(_inFlight.Values);
        all.AddRange(_waiting);
        _inFlight.Clear();
        _waiting.Clear();
        _reserved.Clear();
        return all;
    }

    private ushort NextFreeId()
    {
        for (int i = 0; i < ushort.MaxValue; i++)
        {
            _lastId = _lastId == ushort.MaxValue ? (ushort)1 : (ushort)(_lastId + 1);
            if (!_inFlight.ContainsKey(_lastId) && !_reserved.Contains(_lastId))
            {
                return _lastId;
            }
        }

        throw new InvalidOperationException("all 65535 packet identifiers are in use");
    }
}
