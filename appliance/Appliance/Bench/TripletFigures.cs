namespace Appliance.Bench;

/// <summary>A voted triplet on the benchmark frame: decode latency and voted frames per second on one core.</summary>
internal sealed record TripletFigures(double DecodeP50Microseconds, double DecodeP99Microseconds, double FramesPerSecond);
