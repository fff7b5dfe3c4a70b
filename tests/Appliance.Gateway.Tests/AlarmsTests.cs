using Appliance.Gateway.Polling;

namespace Appliance.Gateway.Tests;

/// <summary>
/// How long an alarm stays active (the beacon, the display's alarm page) is measured on the monotonic clock: the wall
/// clock of a Pi jumps when NTP first sets it, or when a wrong time is corrected.
/// </summary>
public sealed class AlarmsTests
{
    [Fact]
    public void AnAlarmIsActiveForAMinuteWhateverTheWallClockDoes()
    {
        var clock = new SplitClock();
        var alarms = new Alarms(clock);

        alarms.Raise("plc-1/process: split vote");
        clock.Wall -= TimeSpan.FromDays(1); // set back: the alarm does not stay on for a day
        clock.Monotonic += TimeSpan.FromSeconds(59);
        Assert.Equal("plc-1/process: split vote", alarms.Active()?.Text);
        clock.Monotonic += TimeSpan.FromSeconds(2);
        Assert.Null(alarms.Active());

        alarms.Raise("spool: disk full");
        clock.Wall += TimeSpan.FromDays(400); // set forward: the alarm does not end at once
        clock.Monotonic += TimeSpan.FromSeconds(10);
        Assert.Equal("spool: disk full", alarms.Active()?.Text);
        Assert.Equal(clock.Wall - TimeSpan.FromDays(400), alarms.Active()?.At); // shown with the time it was raised at
    }

    [Fact]
    public void SilencingEndsTheActiveAlarmUntilTheNextOne()
    {
        var clock = new SplitClock();
        var alarms = new Alarms(clock);
        Assert.False(alarms.Silence());

        alarms.Raise("a");
        Assert.True(alarms.Silence());
        Assert.Null(alarms.Active());
        Assert.Equal(1, alarms.Raised); // still counted and listed
        Assert.Single(alarms.Recent());

        alarms.Raise("b");
        Assert.Equal("b", alarms.Active()?.Text);
    }

    /// <summary>A wall clock and a monotonic clock the test moves apart.</summary>
    private sealed class SplitClock : TimeProvider
    {
        public DateTimeOffset Wall { get; set; } = new(2026, 12, 6, 8, 0, 0, TimeSpan.Zero);

        public TimeSpan Monotonic { get; set; } = TimeSpan.FromHours(1);

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override DateTimeOffset GetUtcNow() => Wall;

        public override long GetTimestamp() => Monotonic.Ticks;
    }
}
