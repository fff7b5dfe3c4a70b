using Appliance.Mqtt.Connection;

namespace Appliance.Mqtt.Tests.Client;

public sealed class PublishQueueTests
{
    [Fact]
    public void QosOnePublicationsStopAtTheWindowAndQosZeroOnesWaitBehindThemInOrder()
    {
        var queue = new PublishQueue();
        OutgoingPublish[] all = [Item(1, MqttQos.AtLeastOnce), Item(2, MqttQos.AtLeastOnce), Item(3, MqttQos.AtMostOnce)];
        foreach (OutgoingPublish item in all)
        {
            queue.Enqueue(item);
        }

        Assert.True(queue.TryTakeNext(1, out OutgoingPublish? first));
        Assert.False(queue.TryTakeNext(1, out _));
        Assert.Equal((1L, (ushort)1), (first!.Sequence, first.PacketId));

        Assert.Same(first, queue.Acknowledge(1));
        Assert.True(queue.TryTakeNext(1, out OutgoingPublish? second));
        Assert.True(queue.TryTakeNext(1, out OutgoingPublish? third));
        Assert.Equal((2L, (ushort)2, (ushort)0), (second!.Sequence, second.PacketId, third!.PacketId));
    }

    [Fact]
    public void AfterADisconnectUnacknowledgedAndUnwrittenPublicationsGoBackFirstInOrderWithDup()
    {
        var queue = new PublishQueue();
        for (int i = 1; i <= 5; i++)
        {
            queue.Enqueue(Item(i, i == 3 ? MqttQos.AtMostOnce : MqttQos.AtLeastOnce));
        }

        var taken = new List<OutgoingPublish>();
        for (int i = 0; i < 3; i++)
        {
            Assert.True(queue.TryTakeNext(10, out OutgoingPublish? item));
            taken.Add(item!);
        }

        queue.Acknowledge(taken[0].PacketId);
        List<OutgoingPublish> dropped = queue.RequeueAfterDisconnect([taken[2]]);

        Assert.Empty(dropped);
        var order = new List<(long, ushort, bool)>();
        while (queue.TryTakeNext(10, out OutgoingPublish? item))
        {
            order.Add((item!.Sequence, item.PacketId, item.Dup));
        }

        Assert.Equal([(2L, (ushort)2, true), (3L, (ushort)0, false), (4L, (ushort)3, false), (5L, (ushort)4, false)], order);
    }

    [Fact]
    public void InternalMessagesAreDroppedRatherThanResent()
    {
        var queue = new PublishQueue();
        var birth = new OutgoingPublish { Topic = "s", Payload = default, Qos = MqttQos.AtLeastOnce, Retain = true, Sequence = 0, Internal = true };
        queue.EnqueueFirst(birth);
        queue.Enqueue(Item(1, MqttQos.AtLeastOnce));
        queue.TryTakeNext(10, out _);

        List<OutgoingPublish> dropped = queue.RequeueAfterDisconnect([]);

        Assert.Equal([birth], dropped);
        Assert.Equal(1, queue.WaitingCount);
    }

    [Fact]
    public void PacketIdentifiersSkipThoseInUseAndWrapAfter65535()
    {
        var queue = new PublishQueue();
        ushort reserved = queue.Reserve();
        var ids = new HashSet<ushort>();
        for (int i = 0; i < ushort.MaxValue - 1; i++)
        {
            queue.Enqueue(Item(i + 1, MqttQos.AtLeastOnce));
            Assert.True(queue.TryTakeNext(ushort.MaxValue, out OutgoingPublish? item));
            Assert.True(ids.Add(item!.PacketId));
        }

        Assert.DoesNotContain(reserved, ids);
        Assert.DoesNotContain((ushort)0, ids);
        queue.Enqueue(Item(99_999, MqttQos.AtLeastOnce));
        Assert.Throws<InvalidOperationException>(() => queue.TryTakeNext(ushort.MaxValue, out _));
    }

    private static OutgoingPublish Item(long sequence, MqttQos qos) =>
        new() { Topic = "t", Payload = default, Qos = qos, Retain = false, Sequence = sequence };
}
