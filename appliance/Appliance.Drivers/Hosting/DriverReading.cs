namespace Appliance.Drivers.Hosting;

/// <summary>One value a driver read, checked by the host (name: 1-64 of a-z A-Z 0-9 _ - .; unit: up to 16 characters).</summary>
public sealed record DriverReading(string Name, double Value, string Unit);
