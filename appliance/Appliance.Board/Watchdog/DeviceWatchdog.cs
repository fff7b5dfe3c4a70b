using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Appliance.Board.Watchdog;

/// <summary>
/// The Linux watchdog device (<c>/dev/watchdog</c>, the Pi's bcm2835-wdt or softdog): opened, given its timeout with
/// WDIOC_SETTIMEOUT, kicked by a write. A clean stop writes the magic close character 'V' before closing, so the
/// machine is not reset; a hang simply stops the kicks and the hardware resets it. A file that is not a watchdog (a
/// test's plain file) takes the kicks without the ioctl. The device cannot seek, so the kicks go through a stream's
/// plain writes (a positioned write, <see cref="RandomAccess"/>, is refused there: the tests' plain file had hidden
/// that, the VM test's softdog showed it).
/// </summary>
public sealed partial class DeviceWatchdog : IWatchdog
{
    private const uint WdiocSetTimeout = 0xC0045706; // _IOWR('W', 6, int)
    private readonly FileStream _device;
    private bool _closed;

    private DeviceWatchdog(string path, FileStream device, TimeSpan timeout)
    {
        Path = path;
        _device = device;
        Timeout = timeout;
    }

    public string Path { get; }

    public TimeSpan Timeout { get; }

    public string Description => $"{Path}, {Timeout.TotalSeconds:0} s";

    /// <summary>A third of the timeout: two kicks may be late before the reset.</summary>
    public TimeSpan KickInterval => Timeout / 3;

    /// <exception cref="IOException">The device cannot be opened.</exception>
    public static DeviceWatchdog Open(string path, TimeSpan timeout)
    {
        SafeFileHandle device = File.OpenHandle(path, FileMode.Open, FileAccess.Write);
        int seconds = (int)Math.Ceiling(timeout.TotalSeconds);
        _ = Ioctl((int)device.DangerousGetHandle(), WdiocSetTimeout, ref seconds); // not a watchdog (ENOTTY): kicks still go to it
        return new DeviceWatchdog(path, new FileStream(device, FileAccess.Write, bufferSize: 0), timeout);
    }

    public void Kick()
    {
        if (!_closed)
        {
            _device.Write("k"u8);
        }
    }

    public void Close()
    {
        if (!_closed)
        {
            _device.Write("V"u8);
            _closed = true;
            _device.Dispose();
        }
    }

    /// <summary>Without <see cref="Close"/>, the device is closed without the magic character: the hardware resets.</summary>
    public void Dispose()
    {
        _closed = true;
        _device.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int Ioctl(int fd, uint request, ref int argument);
}
