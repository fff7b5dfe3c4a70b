using Appliance.Board.Watchdog;
using Appliance.Testing;

namespace Appliance.Board.Tests;

/// <summary>
/// The watchdog device's writes on a file that cannot seek, as <c>/dev/watchdog</c> cannot: a FIFO, read at its other
/// end. (A plain file seeks and hid that positioned writes are refused on a device; softdog itself is tested in the
/// VM, tests/Appliance.Tests/Vm.)
/// </summary>
public sealed class DeviceWatchdogTests
{
    [Fact]
    public async Task KicksAndTheMagicCloseReachAFileThatCannotSeek()
    {
        using var directory = new TempDirectory();
        string fifo = Path.Combine(directory.Path, "watchdog");
        Assert.Equal(0, (await ChildProcess.RunAsync("mkfifo", fifo)).ExitCode);
        Task<byte[]> read = Task.Run(() => File.ReadAllBytes(fifo)); // opens the reading end, reads until the writer closes

        using (DeviceWatchdog watchdog = DeviceWatchdog.Open(fifo, TimeSpan.FromSeconds(3)))
        {
            watchdog.Kick();
            watchdog.Kick();
            watchdog.Close();
        }

        Assert.Equal("kkV"u8.ToArray(), await read.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
