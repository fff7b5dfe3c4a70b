using Appliance.Board.Clock;
using Appliance.Testing;

namespace Appliance.Board.Tests;

/// <summary>systemd-timesyncd's runtime folder read as it is left: not running, running and not yet synchronised, synchronised.</summary>
public sealed class ClockSyncTests
{
    [Fact]
    public void TheClockIsUnknownWithoutTimesyncdNotSynchronisedUntilItSaysSoThenSynchronised()
    {
        using var directory = new TempDirectory();
        string runtime = Path.Combine(directory.Path, "timesync");

        Assert.Null(ClockSync.IsSynchronized(runtime));
        Directory.CreateDirectory(runtime);
        Assert.False(ClockSync.IsSynchronized(runtime));
        File.WriteAllBytes(Path.Combine(runtime, "synchronized"), []);
        Assert.True(ClockSync.IsSynchronized(runtime));
    }
}
