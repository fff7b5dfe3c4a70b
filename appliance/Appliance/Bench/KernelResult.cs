namespace Appliance.Bench;

/// <summary>One compute kernel's measurement: the work size n, the median time of one run, and the checksum every run returned.</summary>
internal sealed record KernelResult(string Name, uint N, int Runs, double Milliseconds, uint Checksum);
