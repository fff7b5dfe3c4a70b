using System.Text;
using Appliance.Mqtt.Spool;
using Appliance.Testing;
using SpoolQueue = Appliance.Mqtt.Spool.Spool;

namespace Appliance.Mqtt.Tests.Spool;

/// <summary>The SQLite spool on its own: order, deletion, the bound, and what survives a close.</summary>
public sealed class SpoolTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string DatabasePath => Path.Combine(_directory.Path, "nested", "spool.db");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task MessagesAreReadBackInTheOrderTheyWereEnqueued()
    {
        await using SpoolQueue spool = Open();
        Task<long>[] commits = Enumerable.Range(1, 500).Select(i => spool.EnqueueAsync($"t/{i % 3}", Payload(i), MqttQos.AtLeastOnce, retain: i == 7)).ToArray();
        long[] ids = await Task.WhenAll(commits);

        Assert.Equal(ids.Order(), ids);
        IReadOnlyList<SpooledMessage> read = spool.ReadAfter(0, 1000);
        Assert.Equal(Enumerable.Range(1, 500).Select(i => $"m{i}"), read.Select(m => Encoding.UTF8.GetString(m.Payload)));
        Assert.Equal("t/1", read[0].Topic);
        Assert.True(read[6].Retain);
        Assert.False(read[5].Retain);
        Assert.All(read, m => Assert.Equal(MqttQos.AtLeastOnce, m.Qos));
        Assert.Equal(read.Skip(100).Select(m => m.Id), spool.ReadAfter(read[99].Id, 1000).Select(m => m.Id));
        Assert.Equal(new SpoolCounters(500, read.Sum(m => SpoolQueue.SizeOf(m.Topic, m.Payload.Length)), 0, 0), spool.Counters);
    }

    [Fact]
    public async Task AMessageIsDeletedOnlyWhenAcknowledged()
    {
        await using SpoolQueue spool = Open();
        long first = await spool.EnqueueAsync("t", Payload(1), MqttQos.AtLeastOnce, false);
        long second = await spool.EnqueueAsync("t", Payload(2), MqttQos.AtLeastOnce, false);
        long third = await spool.EnqueueAsync("t", Payload(3), MqttQos.AtMostOnce, false);

        spool.Acknowledge(second);
        await spool.EnqueueAsync("t", Payload(4), MqttQos.AtLeastOnce, false); // commits after the deletion: the writer keeps order

        Assert.Equal([first, third], spool.ReadAfter(0, 10).Select(m => m.Id).Take(2));
        Assert.Equal(3, spool.Counters.Queued);
        Assert.Equal(1, spool.Counters.Published);
        spool.Acknowledge(second); // again: ignored
        spool.Acknowledge(first);
        await spool.EnqueueAsync("t", Payload(5), MqttQos.AtLeastOnce, false);
        Assert.Equal(["m3", "m4", "m5"], spool.ReadAfter(0, 10).Select(m => Encoding.UTF8.GetString(m.Payload)));
        Assert.Equal(2, spool.Counters.Published);
    }

    [Fact]
    public async Task AFullSpoolDropsTheOldestCountsThemAndRaisesTheAlarm()
    {
        var alarms = new List<SpoolOverflow>();
        long size = SpoolQueue.SizeOf("t", LargePayload(100).Length);
        await using SpoolQueue spool = Open(maxBytes: size * 10, alarms.Add);
        for (int i = 100; i < 110; i++)
        {
            await spool.EnqueueAsync("t", LargePayload(i), MqttQos.AtLeastOnce, false);
        }

        Assert.Empty(alarms);
        for (int i = 110; i < 125; i++)
        {
            await spool.EnqueueAsync("t", LargePayload(i), MqttQos.AtLeastOnce, false);
        }

        Assert.Equal(Enumerable.Range(115, 10).Select(i => $"m{i}"), spool.ReadAfter(0, 100).Select(m => Encoding.UTF8.GetString(m.Payload).TrimEnd()));
        Assert.Equal(new SpoolCounters(10, size * 10, 0, 15), spool.Counters);
        Assert.Equal(15, alarms.Sum(alarm => alarm.Dropped));
        Assert.Equal(15, alarms[^1].DroppedTotal);
        Assert.Equal(MqttSpoolCountersOf(10, 15), spool.Counters.ForHealth());
    }

    [Fact]
    public async Task AMessageThatCanNeverFitIsRefusedAtOnce()
    {
        await using SpoolQueue spool = Open(maxBytes: 1024);

        Assert.Throws<ArgumentException>(() => { _ = spool.EnqueueAsync("t", new byte[2000], MqttQos.AtLeastOnce, false); });
        Assert.Equal(0, spool.Counters.Queued);
    }

    [Fact]
    public async Task TheQueueSurvivesCloseAndReopenWithIdsNeverReused()
    {
        await using (SpoolQueue spool = Open())
        {
            for (int i = 1; i <= 20; i++)
            {
                await spool.EnqueueAsync("a/b", Payload(i), MqttQos.AtLeastOnce, false);
            }

            IReadOnlyList<SpooledMessage> all = spool.ReadAfter(0, 100);
            foreach (SpooledMessage message in all.Take(5))
            {
                spool.Acknowledge(message.Id);
            }

            // the last five are acknowledged just before the close: the close commits them
            foreach (SpooledMessage message in all.TakeLast(1))
            {
                spool.Acknowledge(message.Id);
            }
        }

        await using (SpoolQueue reopened = Open())
        {
            Assert.Equal("ok", reopened.CheckIntegrity());
            IReadOnlyList<SpooledMessage> left = reopened.ReadAfter(0, 100);
            Assert.Equal(Enumerable.Range(6, 14).Select(i => $"m{i}"), left.Select(m => Encoding.UTF8.GetString(m.Payload)));
            Assert.Equal(14, reopened.Counters.Queued);
            long next = await reopened.EnqueueAsync("a/b", Payload(21), MqttQos.AtLeastOnce, false);
            Assert.True(next > left[^1].Id + 1, "the id of the deleted last message is not given again");
        }
    }

    [Fact]
    public async Task WaitingForAMessageEndsWhenOneIsCommitted()
    {
        await using SpoolQueue spool = Open();
        Task waiting = spool.WaitForMessageAfterAsync(0, CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        long id = await spool.EnqueueAsync("t", Payload(1), MqttQos.AtMostOnce, false);

        await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(spool.WaitForMessageAfterAsync(id, CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task AReopenedSpoolThatWasDrainedHasNothingToWaitFor()
    {
        await using (SpoolQueue spool = Open())
        {
            for (int i = 1; i <= 3; i++)
            {
                spool.Acknowledge(await spool.EnqueueAsync("t", Payload(i), MqttQos.AtLeastOnce, false));
            }
        }

        await using SpoolQueue reopened = Open();

        // The regression: ids 1 to 3 were given out and deleted. A reader starting at 0 must find nothing to read and
        // wait, not be told that something above 0 was committed (it would read nothing and ask again, forever).
        Assert.Empty(reopened.ReadAfter(0, 10, out long committedThrough));
        Assert.Equal(0, committedThrough);
        Task waiting = reopened.WaitForMessageAfterAsync(0, CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        long id = await reopened.EnqueueAsync("t", Payload(4), MqttQos.AtLeastOnce, false);
        await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([id], reopened.ReadAfter(0, 10).Select(m => m.Id));
    }

    [Fact]
    public async Task SequenceNumbersAreCommittedWithTheirMessagesAndContinueAfterReopen()
    {
        await using (SpoolQueue spool = Open())
        {
            Assert.Equal(1, spool.NextSequence("plc-1/process"));
            for (int i = 1; i <= 3; i++)
            {
                long seq = spool.NextSequence("plc-1/process");
                Assert.Equal(i, seq);
                await spool.EnqueueAsync("t", Payload(i), MqttQos.AtLeastOnce, false, new SequenceStamp("plc-1/process", seq));
            }

            await spool.EnqueueAsync("t", Payload(9), MqttQos.AtLeastOnce, false, new SequenceStamp("plc-1/slow", spool.NextSequence("plc-1/slow")));
            await spool.EnqueueAsync("status", Payload(0), MqttQos.AtLeastOnce, true); // unnumbered: no stream moves
            Assert.Equal(4, spool.NextSequence("plc-1/process"));
            foreach (SpooledMessage message in spool.ReadAfter(0, 100))
            {
                spool.Acknowledge(message.Id); // delivered and deleted: the numbers stay
            }
        }

        await using SpoolQueue reopened = Open();
        Assert.Equal(4, reopened.NextSequence("plc-1/process"));
        Assert.Equal(2, reopened.NextSequence("plc-1/slow"));
        Assert.Equal(1, reopened.NextSequence("plc-2/process"));
    }

    [Fact]
    public async Task ImportedNumbersTakeTheLargerAndImportingAgainChangesNothing()
    {
        await using SpoolQueue spool = Open();
        await spool.EnqueueAsync("t", Payload(1), MqttQos.AtLeastOnce, false, new SequenceStamp("a/x", 5));
        var file = new Dictionary<string, long> { ["a/x"] = 3, ["a/y"] = 40 };

        spool.ImportSequences(file);
        spool.ImportSequences(file);

        Assert.Equal(6, spool.NextSequence("a/x"));
        Assert.Equal(41, spool.NextSequence("a/y"));
    }

    [Fact]
    public async Task EnqueueAfterDisposeIsRefused()
    {
        SpoolQueue spool = Open();
        await spool.DisposeAsync();

        Assert.Throws<ObjectDisposedException>(() => { _ = spool.EnqueueAsync("t", Payload(1), MqttQos.AtMostOnce, false); });
    }

    private static MqttSpoolCounters MqttSpoolCountersOf(long queued, long dropped) => new(queued, dropped);

    private static byte[] Payload(int i) => Encoding.UTF8.GetBytes($"m{i}");

    private static byte[] LargePayload(int i) => Encoding.UTF8.GetBytes($"m{i}".PadRight(100));

    private SpoolQueue Open(long maxBytes = 1 << 20, Action<SpoolOverflow>? overflowed = null) =>
        SpoolQueue.Open(new SpoolOptions { Path = DatabasePath, MaxBytes = maxBytes, Overflowed = overflowed });
}
