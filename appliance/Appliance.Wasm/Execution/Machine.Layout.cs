using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Appliance.Wasm.Execution;

/// <summary>The choice among the dispatch loop's variants (<see cref="IDispatchLayout"/>), made once per process.</summary>
internal sealed unsafe partial class Machine
{
    /// <summary>Iterations of the calibration loop per timed run (about 0.1 ms).</summary>
    private const int CalibrationIterations = 30_000;

    private const int CalibrationRounds = 5;

    /// <summary>The variants of the dispatch loop (see <see cref="IDispatchLayout"/>).</summary>
    internal const int Variants = 6;

    /// <summary>The variant every machine runs: -1 until chosen; a test may set it.</summary>
    internal static int Layout { get; set; } = -1;

    private TrapCode? ExecuteInChosenLayout()
    {
        if (Layout < 0)
        {
            Layout = ChooseLayout();
        }

        return ExecuteIn(Layout);
    }

    /// <summary>
    /// Times each variant on a loop of ordinary instructions, in interleaved rounds, and returns the fastest by its
    /// best round. Only the speed depends on the choice: every variant computes the same.
    /// </summary>
    private static int ChooseLayout()
    {
        Layout = 0; // a run during the calibration uses the first variant
        var machine = new Machine(new Store(new Engine(new EngineConfig { MaxStackSlots = 16, MaxCallDepth = 2 })));
        long[] best = new long[Variants];
        Array.Fill(best, long.MaxValue);
        for (int round = 0; round < CalibrationRounds; round++)
        {
            for (int variant = 0; variant < best.Length; variant++)
            {
                best[variant] = Math.Min(best[variant], machine.TimeCalibrationLoop(variant));
            }
        }

        int fastest = 0;
        for (int variant = 1; variant < best.Length; variant++)
        {
            if (best[variant] < best[fastest])
            {
                fastest = variant;
            }
        }

        return fastest;
    }

    private TrapCode? ExecuteIn(int variant) => variant switch
    {
        0 => Execute<Pad0>(),
        1 => Execute<Pad8>(),
        2 => Execute<Pad16>(),
        3 => Execute<Pad24>(),
        4 => Execute<Pad32>(),
        _ => Execute<Pad40>(),
    };

    /// <summary>Runs the calibration loop in one variant on this (scratch) machine; returns the elapsed ticks.</summary>
    private long TimeCalibrationLoop(int variant)
    {
        // slot 1 += 3; slot 2 ^= slot 1 << 5; slot 0 += 1 until it reaches the count; return.
        Instruction[] code = GC.AllocateArray<Instruction>(5, pinned: true);
        code[0] = new Instruction(OpCode.Enter, 0, 3, 3);
        code[1] = new Instruction(OpCode.I32AddImm, 1, 1, 3);
        code[2] = new Instruction(OpCode.I32XorShl, 2, 1, 5) { D = 2 };
        code[3] = new Instruction(OpCode.AddBrI32NeImm, 0, 0, CalibrationIterations) { D = 1, Jump = -2 * Instruction.Size };
        code[4] = new Instruction(OpCode.Return);
        new Span<ulong>(_stackBase, 3).Clear();
        ClearFrames();
        _frameTop->ReturnIp = Frame.EndOfRun;
        _frameTop->FramePointer = _stackBase;
        _frameTop++;
        _ip = (Instruction*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(code));
        _fp = 0;
        long start = Stopwatch.GetTimestamp();
        _ = ExecuteIn(variant);
        long elapsed = Stopwatch.GetTimestamp() - start;
        GC.KeepAlive(code);
        return elapsed;
    }

    private struct Pad0 : IDispatchLayout
    {
        public static void Pad(ulong* fp)
        {
        }
    }

    private struct Pad8 : IDispatchLayout
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Pad(ulong* fp)
        {
            fp[1] = 1; // 8 bytes of x64 code per store
        }
    }

    private struct Pad16 : IDispatchLayout
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Pad(ulong* fp)
        {
            fp[1] = 1; // 8 bytes of x64 code per store
            fp[2] = 2;
        }
    }

    private struct Pad24 : IDispatchLayout
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Pad(ulong* fp)
        {
            fp[1] = 1; // 8 bytes of x64 code per store
            fp[2] = 2;
            fp[3] = 3;
        }
    }

    private struct Pad32 : IDispatchLayout
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Pad(ulong* fp)
        {
            fp[1] = 1; // 8 bytes of x64 code per store
            fp[2] = 2;
            fp[3] = 3;
            fp[4] = 4;
        }
    }

    private struct Pad40 : IDispatchLayout
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Pad(ulong* fp)
        {
            fp[1] = 1; // 8 bytes of x64 code per store
            fp[2] = 2;
            fp[3] = 3;
            fp[4] = 4;
            fp[5] = 5;
        }
    }
}
