namespace Appliance.Gateway.Tests;

/// <summary>
/// The system's clocks with the wall clock moved by <see cref="Jump"/> and the monotonic one not, as on a Pi, which has
/// no real-time clock: NTP's first sync sets its wall clock forward by hours or years, a wrong saved time sets it back.
/// </summary>
internal sealed class JumpingWallClock : TimeProvider
{
    public TimeSpan Jump { get; set; }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Jump;
}
