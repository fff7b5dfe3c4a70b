using System.Text.Json;
using Appliance.Board;
using Appliance.Config;
using Appliance.Gateway.Board;
using Appliance.Testing;

namespace Appliance.Gateway.Tests.Board;

/// <summary>
/// The board's sensors each at their own interval: a fast one read at every tick, a slow one only when due (its last
/// reading published meanwhile), a failing one backed off; one message whenever any sensor was read.
/// </summary>
public sealed class BoardPollerTests
{
    [Fact]
    public async Task EachSensorIsReadAtItsOwnIntervalAndEveryMessageCarriesTheLatestOfAll()
    {
        var clock = new ManualTimeProvider();
        var fast = new CountingSensor("fast", fails: false);
        var slow = new CountingSensor("slow", fails: false);
        var broken = new CountingSensor("broken", fails: true);
        var sink = new CollectingSink();
        var config = new BoardConfig(TimeSpan.FromSeconds(5), "", null, null, []);
        using var poller = new BoardPoller(config, [(fast, TimeSpan.FromSeconds(1)), (slow, TimeSpan.FromSeconds(4)), (broken, TimeSpan.FromSeconds(1))], sink, "t/board/sensors");

        Assert.Equal(TimeSpan.FromSeconds(1), poller.Tick);
        for (int second = 0; second < 12; second++)
        {
            await poller.PollOnceAsync(clock, CancellationToken.None);
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(12, fast.Reads);
        Assert.Equal(3, slow.Reads); // at 0 s, 4 s and 8 s
        Assert.Equal(4, broken.Reads); // at 0 s, then backed off 1 s, 2 s, 4 s: 1, 3, 7 s
        Assert.Equal(12, sink.On("t/board/sensors").Count);
        JsonElement last = sink.Last();
        Assert.Equal((12L, 12.0, 3.0), (last.GetProperty("seq").GetInt64(), last.GetProperty("values").GetProperty("fast").GetDouble(), last.GetProperty("values").GetProperty("slow").GetDouble()));
        Assert.Equal("read-error", last.GetProperty("errors").GetProperty("broken").GetString());
    }

    [Fact]
    public async Task NothingIsPublishedWhenNoSensorWasDue()
    {
        var clock = new ManualTimeProvider();
        var slow = new CountingSensor("slow", fails: false);
        var sink = new CollectingSink();
        using var poller = new BoardPoller(new BoardConfig(TimeSpan.FromSeconds(5), "", null, null, []), [(slow, TimeSpan.FromSeconds(10))], sink, "t");

        await poller.PollOnceAsync(clock, CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(5));
        await poller.PollOnceAsync(clock, CancellationToken.None);

        Assert.Equal((1, 1), (slow.Reads, sink.On("t").Count));
    }

    private sealed class CountingSensor(string name, bool fails) : IBoardSensor
    {
        public int Reads { get; private set; }

        public string Description => name;

        public IReadOnlyList<BoardReading> Read()
        {
            Reads++;
            return [fails ? BoardReading.Failed(name, "degC", "read-error") : new BoardReading(name, Reads, "degC")];
        }
    }
}
