using System.Diagnostics;
using Appliance.Wasm;
using Appliance.Wasm.Execution;

namespace Appliance.Bench;

/// <summary>
/// Measures the engine as the gateway uses it, with the default <see cref="EngineConfig"/> (fuel metered):
/// instantiating a parser-shaped module from a compiled <see cref="Module"/>, resetting a 64 KiB instance, a
/// host-to-guest call, and the run time of compute kernels. Every figure is the median of repeated samples
/// taken after a warm-up; timing uses <see cref="Stopwatch"/> timestamps.
/// </summary>
internal sealed class EngineBenchmark(EngineBenchOptions options)
{
    private const string KernelPrefix = "bench_";

    /// <summary>A kernel calibrated by the benchmark doubles n until one run takes at least this long.</summary>
    private static readonly TimeSpan CalibrationTarget = TimeSpan.FromMilliseconds(200);

    private readonly bool _quick = options.Quick;

    /// <summary>Runs every measurement; <paramref name="version"/> names the binary in the report.</summary>
    public EngineBenchReport Run(string version)
    {
        var engine = new Engine();
        byte[] bytes = ParserShapedModule.Build();
        Module module = Module.Compile(engine, bytes);
        var store = new Store(engine);
        var linker = new Linker();
        Instance instance = linker.Instantiate(store, module);
        CheckParserModule(instance);

        double call = MeasureCall(instance);
        double reset = MeasureReset(instance);
        double instantiate = MeasureInstantiate(linker, engine, module);
        IReadOnlyList<KernelResult> kernels = options.Kernels is byte[] kernelModule ? MeasureKernels(engine, kernelModule) : [];
        return new EngineBenchReport(version, _quick, engine.Config.MeterFuel, Machine.Layout, bytes.Length, instantiate, reset, call, kernels);
    }

    /// <summary>
    /// Microseconds per <c>linker.Instantiate</c>: the median over batches of the batch's mean. Each batch
    /// instantiates into a fresh store (made outside the timing), because a store keeps every function that was
    /// ever referenced (this module's table refers to some), and with it that instance and its memory, alive
    /// for as long as the store lives.
    /// </summary>
    private double MeasureInstantiate(Linker linker, Engine engine, Module module)
    {
        (int warmup, int batches, int perBatch) = _quick ? (2, 3, 5) : (200, 21, 200);
        var store = new Store(engine);
        for (int i = 0; i < warmup; i++)
        {
            linker.Instantiate(store, module);
        }

        double[] samples = new double[batches];
        for (int b = 0; b < batches; b++)
        {
            store = new Store(engine);
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < perBatch; i++)
            {
                linker.Instantiate(store, module);
            }

            samples[b] = MicrosecondsSince(start) / perBatch;
        }

        return Median(samples);
    }

    /// <summary>Microseconds per <see cref="Instance.Reset"/> after the guest wrote 4 KiB of its memory: the median of single resets.</summary>
    private double MeasureReset(Instance instance)
    {
        (int warmup, int samplesWanted) = _quick ? (2, 11) : (200, 2_001);
        Function fill = instance.GetFunction("fill");
        ulong[] length = [4_096];
        for (int i = 0; i < warmup; i++)
        {
            fill.Call(length);
            instance.Reset();
        }

        double[] samples = new double[samplesWanted];
        for (int i = 0; i < samples.Length; i++)
        {
            fill.Call(length);
            long start = Stopwatch.GetTimestamp();
            instance.Reset();
            samples[i] = MicrosecondsSince(start);
        }

        if (instance.Memory!.Span[ParserShapedModule.ScratchAddress + 1] != 0)
        {
            throw new InvalidOperationException("the reset instance still holds what the guest wrote");
        }

        return Median(samples);
    }

    /// <summary>Nanoseconds per <see cref="Function.Call(ulong[])"/> of <c>add(2, 40)</c>: the median over batches of the batch's mean.</summary>
    private double MeasureCall(Instance instance)
    {
        (int warmup, int batches, int perBatch) = _quick ? (10, 3, 1_000) : (100_000, 21, 100_000);
        Function add = instance.GetFunction("add");
        ulong[] arguments = [2, 40];
        for (int i = 0; i < warmup; i++)
        {
            add.Call(arguments);
        }

        double[] samples = new double[batches];
        for (int b = 0; b < batches; b++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < perBatch; i++)
            {
                add.Call(arguments);
            }

            samples[b] = MicrosecondsSince(start) * 1_000 / perBatch;
        }

        return Median(samples);
    }

    private List<KernelResult> MeasureKernels(Engine engine, byte[] bytes)
    {
        Module module = Module.Compile(engine, bytes);
        Instance instance = new Linker().Instantiate(new Store(engine), module);
        var results = new List<KernelResult>();
        var measured = new HashSet<string>(StringComparer.Ordinal);
        foreach (ModuleExport export in module.Exports)
        {
            if (export.Kind != ExternalKind.Function || !export.Name.StartsWith(KernelPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            string name = export.Name[KernelPrefix.Length..];
            if (options.KernelSizes.Count > 0 && !options.KernelSizes.ContainsKey(name))
            {
                continue;
            }

            Function kernel = instance.GetFunction(export.Name);
            if (kernel.Type.Parameters is not [ValueKind.I32] || kernel.Type.Results is not [ValueKind.I32])
            {
                throw new InvalidOperationException($"kernel {export.Name} has type {kernel.Type}, not (i32) -> (i32)");
            }

            results.Add(MeasureKernel(name, kernel));
            measured.Add(name);
        }

        foreach (string name in options.KernelSizes.Keys)
        {
            if (!measured.Contains(name))
            {
                throw new InvalidOperationException($"the kernels module has no kernel \"{name}\" (an export {KernelPrefix}{name})");
            }
        }

        return results;
    }

    private KernelResult MeasureKernel(string name, Function kernel)
    {
        uint n;
        uint checksum;
        if (options.KernelSizes.TryGetValue(name, out uint given))
        {
            n = given;
            checksum = Run(kernel, n, out _); // warm-up
        }
        else if (_quick)
        {
            n = 1;
            checksum = Run(kernel, n, out _);
        }
        else
        {
            // Calibration: the last run doubles as the warm-up.
            n = 1;
            while (true)
            {
                checksum = Run(kernel, n, out TimeSpan elapsed);
                if (elapsed >= CalibrationTarget || n >= 1u << 24)
                {
                    break;
                }

                n *= 2;
            }
        }

        double[] samples = new double[options.Runs];
        for (int r = 0; r < samples.Length; r++)
        {
            uint result = Run(kernel, n, out TimeSpan elapsed);
            samples[r] = elapsed.TotalMilliseconds;
            if (result != checksum)
            {
                throw new InvalidOperationException($"kernel {name} returned {result} after {checksum} for the same n = {n}");
            }
        }

        return new KernelResult(name, n, samples.Length, Median(samples), checksum);
    }

    private static uint Run(Function kernel, uint n, out TimeSpan elapsed)
    {
        ulong[] arguments = [n];
        long start = Stopwatch.GetTimestamp();
        ulong[] results = kernel.Call(arguments);
        elapsed = Stopwatch.GetElapsedTime(start);
        return (uint)results[0];
    }

    /// <summary>Sanity checks that the module computes what it should, so the timings are of working code.</summary>
    private static void CheckParserModule(Instance instance)
    {
        if (instance.GetFunction("add").Call(2, 40) is not [42])
        {
            throw new InvalidOperationException("the parser-shaped module computes add(2, 40) wrong");
        }

        // CRC-16/MODBUS of "123456789" is 0x4B37, the catalogue's check value.
        const int Frame = 4_096;
        "123456789"u8.CopyTo(instance.Memory!.Span[Frame..]);
        if (instance.GetFunction("crc16").Call(Frame, 9) is not [0x4B37])
        {
            throw new InvalidOperationException("the parser-shaped module computes CRC-16/MODBUS wrong");
        }

        instance.GetFunction("parse").Call(Frame, 9);
        instance.GetFunction("dispatch").Call(ParserShapedModule.DecoderCount - 1, Frame);
        instance.Reset();
    }

    /// <summary>From raw timestamps: <see cref="TimeSpan"/> would round to its 100 ns ticks.</summary>
    private static double MicrosecondsSince(long start) => (Stopwatch.GetTimestamp() - start) * 1e6 / Stopwatch.Frequency;

    private static double Median(double[] samples)
    {
        Array.Sort(samples);
        return samples[samples.Length / 2];
    }
}
