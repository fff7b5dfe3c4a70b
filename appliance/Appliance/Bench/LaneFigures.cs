namespace Appliance.Bench;

/// <summary>One lane on the benchmark frame: its decode alone, and its reset after a trap (median and worst).</summary>
internal sealed record LaneFigures(double DecodeMicroseconds, double ResetMicroseconds, double WorstResetMicroseconds);
