namespace Appliance.Wasm.Conformance;

/// <summary>Our engine as a <see cref="ISpecTarget"/>, with the reference interpreter's <c>spectest</c> host module.</summary>
public sealed class InterpreterSpecTarget : ISpecTarget
{
    /// <summary>The engine configuration the suite runs under: the spec's semantics, the appliance's limits where the suite allows.</summary>
    public static EngineConfig SuiteConfig { get; } = new()
    {
        RequireResetAfterTrap = false,
        MaxMemoryPages = 65_536,
        MaxTableElements = 10_000_000,
        MeterFuel = true,
    };

    private readonly Engine _engine;
    private readonly string _directory;
    private readonly Store _store;
    private readonly Linker _linker = new();

    public InterpreterSpecTarget(string directory, Engine? engine = null)
    {
        _engine = engine ?? new Engine(SuiteConfig);
        _directory = directory;
        _store = new Store(_engine);
        DefineSpectestModule();
    }

    public object Instantiate(string file)
    {
        Module module = CompileModule(file);
        try
        {
            return _linker.Instantiate(_store, module);
        }
        catch (WasmModuleException refused)
        {
            throw new SpecRefusalException(refused.Kind == ModuleErrorKind.Unlinkable ? SpecRefusalStep.Link : SpecRefusalStep.Instantiate, refused.Message, refused);
        }
    }

    public void Compile(string file) => CompileModule(file);

    public void Register(string name, object instance) => _linker.DefineInstance(name, (Instance)instance);

    public ulong[] Invoke(object instance, string field, ulong[] arguments, string[] types)
    {
        _store.Fuel = long.MaxValue;
        try
        {
            return ((Instance)instance).GetFunction(field).Call(arguments);
        }
        catch (TrapException trap)
        {
            bool exhaustion = trap.Code is TrapCode.CallStackExhausted or TrapCode.ValueStackExhausted;
            if (trap.Code == TrapCode.OutOfFuel)
            {
                throw;
            }

            throw new SpecTrapException($"{trap.Code}: {trap.Message}", exhaustion, trap);
        }
    }

    public ulong Get(object instance, string field) => ((Global)((Instance)instance).Exports[field]).Value;

    private Module CompileModule(string file)
    {
        try
        {
            return Module.Compile(_engine, File.ReadAllBytes(Path.Combine(_directory, file)));
        }
        catch (WasmModuleException refused)
        {
            throw new SpecRefusalException(SpecRefusalStep.Compile, refused.Message, refused);
        }
    }

    private void DefineSpectestModule()
    {
        FunctionType Signature(params ValueKind[] parameters) => new(parameters, []);
        HostCallback print = _ => { }; // the reference interpreter prints; the suite checks nothing of it

        _linker.DefineFunction(_store, "spectest", "print", Signature(), print);
        _linker.DefineFunction(_store, "spectest", "print_i32", Signature(ValueKind.I32), print);
        _linker.DefineFunction(_store, "spectest", "print_i64", Signature(ValueKind.I64), print);
        _linker.DefineFunction(_store, "spectest", "print_f32", Signature(ValueKind.F32), print);
        _linker.DefineFunction(_store, "spectest", "print_f64", Signature(ValueKind.F64), print);
        _linker.DefineFunction(_store, "spectest", "print_i32_f32", Signature(ValueKind.I32, ValueKind.F32), print);
        _linker.DefineFunction(_store, "spectest", "print_f64_f64", Signature(ValueKind.F64, ValueKind.F64), print);
        _linker.Define("spectest", "global_i32", new Global(new GlobalType(ValueKind.I32, false), 666));
        _linker.Define("spectest", "global_i64", new Global(new GlobalType(ValueKind.I64, false), 666));
        _linker.Define("spectest", "global_f32", new Global(new GlobalType(ValueKind.F32, false), BitConverter.SingleToUInt32Bits(666.6f)));
        _linker.Define("spectest", "global_f64", new Global(new GlobalType(ValueKind.F64, false), BitConverter.DoubleToUInt64Bits(666.6)));
        _linker.Define("spectest", "table", new Table(new TableType(ValueKind.FuncRef, new Limits(10, 20)), 20));
        _linker.Define("spectest", "memory", new Memory(new MemoryType(new Limits(1, 2)), 2));
    }
}
