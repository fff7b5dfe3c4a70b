using Appliance.Mqtt.Client;

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
        Assert.Equal((1L, 1), (first!.Sequence, queue.InFlightCount));

        Assert.True(queue.Finish(first));
        Assert.True(queue.TryTakeNext(1, out OutgoingPublish? second));
        Assert.True(queue.TryTakeNext(1, out OutgoingPublish? third));
        Assert.Equal((2L, 3L, 1), (second!.Sequence, third!.Sequence, queue.InFlightCount));
    }

    [Fact]
    public void AfterADisconnectUnfinishedPublicationsGoBackFirstInOrderQosOneWithDup()
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

        queue.Finish(taken[0]);
        List<OutgoingPublish> dropped = queue.RequeueAfterDisconnect();

        Assert.Empty(dropped);
        var order = new List<(long, bool)>();
        while (queue.TryTakeNext(10, out OutgoingPublish? item))
        {
            order.Add((item!.Sequence, item.Dup));
        }

        Assert.Equal([(2L, true), (3L, false), (4L, false), (5L, false)], order);
    }

    [Fact]
    public void InternalMessagesAreDroppedRatherThanResent()
    {
        var queue = new PublishQueue();
        var birth = new OutgoingPublish { Topic = "s", Payload = default, Qos = MqttQos.AtLeastOnce, Retain = true, Sequence = 0, Internal = true };
        queue.EnqueueFirst(birth);
        queue.Enqueue(Item(1, MqttQos.AtLeastOnce));
        queue.TryTakeNext(10, out _);

        List<OutgoingPublish> dropped = queue.RequeueAfterDisconnect();

        Assert.Equal([birth], dropped);
        Assert.Equal(1, queue.WaitingCount);
    }

    [Fact]
    public void QosZeroPublicationsNotYetWrittenAreBoundedToo()
    {
        var queue = new PublishQueue();
        for (int i = 1; i <= PublishQueue.MaxUnwritten + 1; i++)
        {
            queue.Enqueue(Item(i, MqttQos.AtMostOnce));
        }

        int taken = 0;
        while (queue.TryTakeNext(1, out _))
        {
            taken++;
        }

        Assert.Equal((PublishQueue.MaxUnwritten, 1, 0), (taken, queue.WaitingCount, queue.InFlightCount));
    }

    private static OutgoingPublish Item(long sequence, MqttQos qos) =>
        new() { Topic = "t", Payload = default, Qos = qos, Retain = false, Sequence = sequence };
}
