namespace Appliance.Drivers.Hosting;

/// <summary>What one call into a driver may use.</summary>
/// <param name="Fuel">Wasmtime fuel per call (bounds the guest's own computing).</param>
/// <param name="MemoryPages">Largest linear memory, in 64 KiB pages.</param>
/// <param name="MaxReadBytes">Largest file a read returns.</param>
/// <param name="CallTime">Wall-clock time per call: a capability call after it is refused and traps the driver.</param>
/// <param name="MaxReadings">Most readings one poll may return.</param>
public sealed record DriverLimits(long Fuel, int MemoryPages, int MaxReadBytes, TimeSpan CallTime, int MaxReadings = 256)
{
    public static DriverLimits Default { get; } = new(50_000_000, 32, 64 * 1024, TimeSpan.FromSeconds(5));
}
