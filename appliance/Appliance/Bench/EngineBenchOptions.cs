namespace Appliance.Bench;

/// <summary>What <see cref="EngineBenchmark"/> measures and how long it takes.</summary>
/// <param name="Quick">Tiny iteration counts and n = 1 for every kernel: proves the benchmark runs, measures nothing.</param>
/// <param name="Kernels">A module whose exports <c>bench_NAME: (i32) -> i32</c> are timed; null to skip kernels.</param>
/// <param name="Runs">Timed runs per kernel, after one warm-up run; their median is reported.</param>
/// <param name="KernelSizes">The kernels to measure and n for each; when empty, every kernel, with n calibrated so that a run takes about 200 ms.</param>
internal sealed record EngineBenchOptions(bool Quick, byte[]? Kernels, int Runs, IReadOnlyDictionary<string, uint> KernelSizes);
