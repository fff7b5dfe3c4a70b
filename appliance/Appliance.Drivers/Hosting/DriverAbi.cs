namespace Appliance.Drivers.Hosting;

/// <summary>The core-module names of world <c>sensor-driver</c> (wit/sensor-driver.wit) under the canonical ABI.</summary>
internal static class DriverAbi
{
    public const string SensorFs = "ics:gateway/sensor-fs@0.1.0";
    public const string SensorNet = "ics:gateway/sensor-net@0.1.0";
    public const string Log = "ics:gateway/log@0.1.0";
    public const string Init = "ics:gateway/driver@0.1.0#init";
    public const string Poll = "ics:gateway/driver@0.1.0#poll";
    public const string PollPostReturn = "cabi_post_ics:gateway/driver@0.1.0#poll";
    public const string Realloc = "cabi_realloc";
    public const string Memory = "memory";

    /// <summary>Size of one <c>reading</c> record in guest memory (name: 8, value: f64 at 8, unit: 8 at 16), alignment 8.</summary>
    public const int ReadingSize = 24;
}
