using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Appliance.Wasm.Execution;

/// <summary>
/// The interpreter: one switch dispatch loop over the register IR, an untyped <c>ulong</c> value stack and an
/// explicit call-frame stack, so a guest call never recurses on the .NET stack. A trap ends the loop with a
/// <see cref="TrapCode"/>; running out of fuel suspends it, and <see cref="Resume"/> continues.
/// </summary>
internal sealed unsafe partial class Machine
{
    private readonly Store _store;
    private readonly ulong[] _stack;
    private readonly ulong* _stackBase;
    private readonly ulong* _stackEnd;
    private readonly bool _canonicalize;
    private readonly bool _requireReset;

    // The call stack: a pinned array of frames; _frameTop is the next free one.
    private readonly Frame[] _frames;
    private readonly Frame* _frameBase;
    private readonly Frame* _frameLimit;
    private Frame* _frameTop;

    /// <summary>For a frame whose callee runs in another instance, the caller's instance (see <see cref="Frame.ReturnIp"/>).</summary>
    private readonly Instance?[] _callerInstances;

    // The state of a run, saved when it is suspended for lack of fuel.
    private Instance? _instance;
    private Instruction* _ip;
    private int _fp;
    private int _resultCount;
    private bool _suspended;
    private bool _running;

    public Machine(Store store)
    {
        _store = store;
        EngineConfig config = store.Engine.Config;
        _stack = GC.AllocateArray<ulong>(config.MaxStackSlots, pinned: true);
        _stackBase = (ulong*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_stack)); // pinned for life
        _stackEnd = _stackBase + _stack.Length;
        _frames = GC.AllocateArray<Frame>(config.MaxCallDepth + 1, pinned: true); // the sentinel and the calls
        _frameBase = (Frame*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_frames)); // pinned for life
        _frameLimit = _frameBase + _frames.Length;
        _frameTop = _frameBase;
        _callerInstances = new Instance?[_frames.Length];
        _requireReset = config.RequireResetAfterTrap;
        _canonicalize = config.CanonicalizeNaNs;
    }

    public ulong[] Invoke(Function function, ulong[] arguments)
    {
        ulong[] results = new ulong[function.Type.Results.Count];
        Invoke(function, arguments, results);
        return results;
    }

    /// <summary>Runs <paramref name="function"/> to its end; writes its results without allocating.</summary>
    public void Invoke(Function function, ReadOnlySpan<ulong> arguments, Span<ulong> results)
    {
        if (_running)
        {
            throw new InvalidOperationException("the store is already running a call; a host function may not call back into the same store");
        }

        if (arguments.Length != function.Type.Parameters.Count)
        {
            throw new ArgumentException($"the function takes {function.Type.Parameters.Count} arguments, not {arguments.Length}", nameof(arguments));
        }

        if (results.Length < function.Type.Results.Count)
        {
            throw new ArgumentException($"the function gives {function.Type.Results.Count} results; the span holds {results.Length}", nameof(results));
        }

        if (function.Host is HostCallback host)
        {
            host(new HostCall(arguments, results, null));
            return;
        }

        Instance instance = function.Instance!;
        if (instance.Trapped && _requireReset)
        {
            throw new TrapException(TrapCode.InstanceTrapped);
        }

        CompiledFunction code = function.Code!;
        if (code.FrameSize > _stack.Length)
        {
            throw new TrapException(TrapCode.ValueStackExhausted);
        }

        _suspended = false;
        arguments.CopyTo(_stack);
        Normalize(_stack.AsSpan(0, arguments.Length), function.Type.Parameters);
        _stack.AsSpan(code.ParameterCount, code.LocalCount - code.ParameterCount).Clear();
        ClearFrames();
        _frameTop->ReturnIp = Frame.EndOfRun; // the sentinel: returning to it ends the run
        _frameTop->FramePointer = _stackBase;
        _frameTop++;
        _ip = CodeOf(code);
        _instance = instance;
        _fp = 0;
        _resultCount = function.Type.Results.Count;
        Run();
        _stack.AsSpan(0, _resultCount).CopyTo(results);
    }

    public ulong[] Resume()
    {
        if (!_suspended)
        {
            throw new InvalidOperationException("there is no run suspended for lack of fuel");
        }

        _suspended = false;
        Run();
        return _stack.AsSpan(0, _resultCount).ToArray();
    }

    /// <summary>Runs the prepared or suspended state to its end; the results are then in the first slots.</summary>
    private void Run()
    {
        _running = true;
        try
        {
            TrapCode? trap = Execute();
            if (trap is TrapCode code)
            {
                if (code == TrapCode.OutOfFuel)
                {
                    _suspended = true;
                }
                else
                {
                    _instance!.Trapped = true;
                    ClearFrames();
                }

                throw new TrapException(code, _trapDetail);
            }
        }
        catch (TrapException trap) when (trap.Code != TrapCode.OutOfFuel && !_suspended)
        {
            if (_instance is not null)
            {
                _instance.Trapped = true;
            }

            ClearFrames();
            throw;
        }
        finally
        {
            _running = false;
            _trapDetail = null;
        }
    }

    private string? _trapDetail;

    /// <summary>Empties the call stack after a trap, letting go of the instances it held.</summary>
    private void ClearFrames()
    {
        Array.Clear(_callerInstances, 0, (int)(_frameTop - _frameBase));
        _frameTop = _frameBase;
    }

    /// <summary>
    /// Keeps the slot convention for values that come from the host (arguments, host results): i32 and f32
    /// in the low 32 bits with the high bits zero. Guest code relies on it (i64.extend_i32_u is free).
    /// </summary>
    internal static void Normalize(Span<ulong> values, IReadOnlyList<ValueKind> types)
    {
        for (int i = 0; i < values.Length && i < types.Count; i++)
        {
            if (types[i] is ValueKind.I32 or ValueKind.F32)
            {
                values[i] = (uint)values[i];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Instruction* CodeOf(CompiledFunction function) =>
        (Instruction*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(function.Code));
}
