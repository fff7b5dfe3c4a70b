using Appliance.Wasm.Conformance;

namespace Appliance.Sandbox.Conformance;

/// <summary>
/// Wasmtime as a <see cref="ISpecTarget"/>: the same spec-suite runner that checks our interpreter drives Wasmtime,
/// configured as the parser lanes run it (WebAssembly 2.0 without SIMD), with the reference interpreter's
/// <c>spectest</c> host module. Wasmtime passing the suite through our runner checks the runner too.
/// </summary>
public sealed class WasmtimeSpecTarget : ISpecTarget, IDisposable
{
    private readonly string _directory;
    private readonly Wasmtime.Engine _engine;
    private readonly Wasmtime.Store _store;
    private readonly Wasmtime.Linker _linker;
    private readonly List<object> _externs = [];

    public WasmtimeSpecTarget(string directory)
    {
        _directory = directory;
        _engine = new Wasmtime.Engine(Parsing.WasmtimeParserModule.LaneConfig());
        _store = new Wasmtime.Store(_engine);
        _linker = new Wasmtime.Linker(_engine) { AllowShadowing = true };
        DefineSpectestModule();
    }

    public object Instantiate(string file)
    {
        Wasmtime.Module module = CompileModule(file);
        try
        {
            return _linker.Instantiate(_store, module);
        }
        catch (Wasmtime.TrapException trap)
        {
            throw new SpecRefusalException(SpecRefusalStep.Instantiate, trap.Message, trap);
        }
        catch (Wasmtime.WasmtimeException refused)
        {
            throw new SpecRefusalException(SpecRefusalStep.Link, refused.Message, refused);
        }
    }

    public void Compile(string file) => CompileModule(file).Dispose();

    public void Register(string name, object instance) => _linker.DefineInstance(_store, name, (Wasmtime.Instance)instance);

    public ulong[] Invoke(object instance, string field, ulong[] arguments, string[] types)
    {
        Wasmtime.Function function = ((Wasmtime.Instance)instance).GetFunction(field)
            ?? throw new KeyNotFoundException($"no exported function {field}");
        var boxes = new Wasmtime.ValueBox[arguments.Length];
        for (int i = 0; i < arguments.Length; i++)
        {
            boxes[i] = Box(arguments[i], types[i]);
        }

        object? result;
        try
        {
            result = function.Invoke(boxes);
        }
        catch (Wasmtime.TrapException trap)
        {
            throw new SpecTrapException(trap.Message, trap.Type == Wasmtime.TrapCode.StackOverflow, trap);
        }

        return function.Results.Count switch
        {
            0 => [],
            1 => [Bits(result)],
            _ => [.. ((object?[])result!).Select(Bits)],
        };
    }

    public ulong Get(object instance, string field) =>
        Bits((((Wasmtime.Instance)instance).GetGlobal(field) ?? throw new KeyNotFoundException($"no exported global {field}")).GetValue());

    public void Dispose()
    {
        _linker.Dispose();
        _store.Dispose();
        _engine.Dispose();
    }

    private Wasmtime.Module CompileModule(string file)
    {
        try
        {
            return Wasmtime.Module.FromBytes(_engine, file, File.ReadAllBytes(Path.Combine(_directory, file)));
        }
        catch (Wasmtime.WasmtimeException refused)
        {
            throw new SpecRefusalException(SpecRefusalStep.Compile, refused.Message, refused);
        }
    }

    /// <summary>The suite's value bits as Wasmtime's: an extern reference N + 1 becomes a host object standing for N.</summary>
    private Wasmtime.ValueBox Box(ulong bits, string type) => type switch
    {
        "i32" => (int)(uint)bits,
        "i64" => (long)bits,
        "f32" => BitConverter.UInt32BitsToSingle((uint)bits),
        "f64" => BitConverter.UInt64BitsToDouble(bits),
        "externref" => Wasmtime.ValueBox.AsBox(bits == 0 ? null : ExternFor(bits)),
        "funcref" when bits == 0 => Wasmtime.Function.Null,
        _ => throw new ArgumentException($"the suite passes no {type} but null", nameof(type)),
    };

    private object ExternFor(ulong bits)
    {
        while ((ulong)_externs.Count < bits)
        {
            _externs.Add(new ExternHandle(_externs.Count));
        }

        return _externs[(int)bits - 1];
    }

    private static ulong Bits(object? value) => value switch
    {
        null => 0,
        int i => (uint)i,
        long l => (ulong)l,
        float f => BitConverter.SingleToUInt32Bits(f),
        double d => BitConverter.DoubleToUInt64Bits(d),
        ExternHandle handle => (ulong)handle.Index + 1,
        Wasmtime.Function function => function.IsNull ? 0UL : 1UL,
        _ => throw new InvalidCastException($"a result of type {value.GetType().Name}"),
    };

    private void DefineSpectestModule()
    {
        Wasmtime.Function.UntypedCallbackDelegate print = (_, _, _) => { }; // the reference interpreter prints; the suite checks nothing of it
        void Print(string name, params Wasmtime.ValueKind[] parameters) => _linker.DefineFunction("spectest", name, print, parameters, []);
        Print("print");
        Print("print_i32", Wasmtime.ValueKind.Int32);
        Print("print_i64", Wasmtime.ValueKind.Int64);
        Print("print_f32", Wasmtime.ValueKind.Float32);
        Print("print_f64", Wasmtime.ValueKind.Float64);
        Print("print_i32_f32", Wasmtime.ValueKind.Int32, Wasmtime.ValueKind.Float32);
        Print("print_f64_f64", Wasmtime.ValueKind.Float64, Wasmtime.ValueKind.Float64);
        _linker.Define("spectest", "global_i32", new Wasmtime.Global(_store, Wasmtime.ValueKind.Int32, 666, Wasmtime.Mutability.Immutable));
        _linker.Define("spectest", "global_i64", new Wasmtime.Global(_store, Wasmtime.ValueKind.Int64, 666L, Wasmtime.Mutability.Immutable));
        _linker.Define("spectest", "global_f32", new Wasmtime.Global(_store, Wasmtime.ValueKind.Float32, 666.6f, Wasmtime.Mutability.Immutable));
        _linker.Define("spectest", "global_f64", new Wasmtime.Global(_store, Wasmtime.ValueKind.Float64, 666.6, Wasmtime.Mutability.Immutable));
        _linker.Define("spectest", "table", new Wasmtime.Table(_store, Wasmtime.TableKind.FuncRef, null, 10, 20));
        _linker.Define("spectest", "memory", new Wasmtime.Memory(_store, 1, 2, false));
    }

    /// <summary>The host object behind the suite's <c>ref.extern N</c>.</summary>
    private sealed record ExternHandle(int Index);
}
