namespace Appliance.Sandbox.Parsing;

/// <summary>
/// The Wasmtime lane: the parser guest compiled to native code by Cranelift, with fuel metering and a memory limit
/// per store. A reset is a new store and instance from the compiled module, configured again with the tag map
/// (microseconds): nothing of the faulted instance survives it.
/// </summary>
public sealed class WasmtimeLane : ParserLane, IDisposable
{
    private readonly WasmtimeParserModule _module;
    private readonly ParserTag[] _tags;
    private Wasmtime.Store _store = null!;
    private Wasmtime.Memory _memory = null!;
    private readonly Wasmtime.ValueBox[] _arguments = new Wasmtime.ValueBox[7];
    private Wasmtime.Function _realloc = null!;
    private Wasmtime.Function _configure = null!;
    private Wasmtime.Function _decode = null!;
    private Wasmtime.Function? _postDecode;

    private WasmtimeLane(WasmtimeParserModule module, ParserTag[] tags)
        : base(module.Guest, tags.Length, module.Limits.Fuel)
    {
        _module = module;
        _tags = tags;
    }

    public override string Engine => "wasmtime";

    public override long MemoryBits => _memory.GetLength() * 8;

    /// <summary>Instantiates the parser in a fresh store and configures its tag map.</summary>
    /// <exception cref="ParserConfigurationException">The guest refused the tag map or does not have the world's exports.</exception>
    public static WasmtimeLane Create(WasmtimeParserModule module, IReadOnlyList<ParserTag> tags)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(tags);
        var lane = new WasmtimeLane(module, [.. tags]);
        lane.Instantiate();
        return lane;
    }

    /// <summary>A new store and instance, configured: the faulted one is dropped whole.</summary>
    public override void Reset()
    {
        _store.Dispose();
        Instantiate();
    }

    public override void FlipBit(long bit)
    {
        if (bit >= 0 && bit < _memory.GetLength() * 8)
        {
            _memory.GetSpan(bit >> 3, 1)[0] ^= (byte)(1 << (int)(bit & 7));
        }
    }

    public void Dispose() => _store.Dispose();

    protected override void SetFuel(long fuel) => _store.Fuel = (ulong)Math.Max(fuel, 0);

    protected override ReadOnlySpan<byte> ReadMemory() => _memory.GetSpan(0, checked((int)_memory.GetLength()));

    protected override void WriteMemory(uint pointer, ReadOnlySpan<byte> bytes) => bytes.CopyTo(_memory.GetSpan(pointer, bytes.Length));

    // The untyped calls: Wasmtime's typed wrappers build their converters with MakeGenericType, which NativeAOT cannot promise.
    protected override uint CallRealloc(uint alignment, uint size)
    {
        _arguments[0] = 0;
        _arguments[1] = 0;
        _arguments[2] = (int)alignment;
        _arguments[3] = (int)size;
        return Result(_realloc.Invoke(_arguments.AsSpan(0, 4)));
    }

    protected override uint CallConfigure(uint pointer, uint count)
    {
        _arguments[0] = (int)pointer;
        _arguments[1] = (int)count;
        return Result(_configure.Invoke(_arguments.AsSpan(0, 2)));
    }

    protected override uint CallDecode(in ParserRequest request, uint pointer, uint length)
    {
        _arguments[0] = (int)request.Transaction;
        _arguments[1] = (int)request.Unit;
        _arguments[2] = (int)request.Function;
        _arguments[3] = (int)request.Address;
        _arguments[4] = (int)request.Quantity;
        _arguments[5] = (int)pointer;
        _arguments[6] = (int)length;
        return Result(_decode.Invoke(_arguments.AsSpan(0, 7)));
    }

    protected override void CallPostDecode(uint result)
    {
        if (_postDecode is not null)
        {
            _arguments[0] = (int)result;
            _postDecode.Invoke(_arguments.AsSpan(0, 1));
        }
    }

    protected override bool IsTrap(Exception exception) => exception is Wasmtime.TrapException or Wasmtime.WasmtimeException;

    /// <summary>Wasmtime's message carries a backtrace over several lines: the trap's kind, or the message's last line (its cause).</summary>
    protected override string DescribeTrap(Exception trap) => trap switch
    {
        Wasmtime.TrapException { Type: var kind } when kind != Wasmtime.TrapCode.Undefined => "wasm trap: " + kind,
        _ => (trap?.Message ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? string.Empty,
    };

    private void Instantiate()
    {
        _store = new Wasmtime.Store(_module.Engine);
        _store.SetLimits(memorySize: _module.MemoryBytes, tableElements: 10_000, instances: 1, tables: 1, memories: 1);
        _store.Fuel = (ulong)_module.Limits.Fuel;
        try
        {
            Wasmtime.Instance instance = new Wasmtime.Linker(_module.Engine).Instantiate(_store, _module.Module);
            _memory = instance.GetMemory("memory") ?? throw new ParserConfigurationException("the parser module cannot serve world modbus-sandbox: it exports no memory");
            _realloc = Export(instance, ModbusParserAbi.Realloc, parameters: 4, results: 1);
            _configure = Export(instance, ModbusParserAbi.Configure, parameters: 2, results: 1);
            _decode = Export(instance, ModbusParserAbi.Decode, parameters: 7, results: 1);
            _postDecode = instance.GetFunction(ModbusParserAbi.DecodePostReturn) is { } post && Signature(post, 1, 0) ? post : null;
        }
        catch (Exception e) when (e is Wasmtime.WasmtimeException or Wasmtime.TrapException)
        {
            _store.Dispose();
            throw new ParserConfigurationException($"the parser module cannot serve world modbus-sandbox in Wasmtime: {e.Message}", e);
        }
        catch (ParserConfigurationException)
        {
            _store.Dispose();
            throw;
        }

        try
        {
            Configure(_tags);
        }
        catch (ParserConfigurationException)
        {
            _store.Dispose();
            throw;
        }
    }

    /// <summary>An export of i32 parameters and results, as the world's core signature has it.</summary>
    private static Wasmtime.Function Export(Wasmtime.Instance instance, string name, int parameters, int results) =>
        instance.GetFunction(name) is { } function && Signature(function, parameters, results)
            ? function
            : throw new ParserConfigurationException($"the parser module cannot serve world modbus-sandbox: it does not export {name} with the world's signature");

    private static bool Signature(Wasmtime.Function function, int parameters, int results) =>
        function.Parameters.Count == parameters && function.Results.Count == results
        && function.Parameters.All(kind => kind == Wasmtime.ValueKind.Int32) && function.Results.All(kind => kind == Wasmtime.ValueKind.Int32);

    /// <summary>The i32 a call returned, as the unsigned pointer the ABI means.</summary>
    private static uint Result(object? value) => value is int result ? unchecked((uint)result) : throw new Wasmtime.WasmtimeException("the call returned no i32");
}
