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
    private Func<int, int, int, int, int> _realloc = null!;
    private Func<int, int, int> _configure = null!;
    private Func<int, int, int, int, int, int, int, int> _decode = null!;
    private Action<int>? _postDecode;

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

    protected override uint CallRealloc(uint alignment, uint size) => (uint)_realloc(0, 0, (int)alignment, (int)size);

    protected override uint CallConfigure(uint pointer, uint count) => (uint)_configure((int)pointer, (int)count);

    protected override uint CallDecode(in ParserRequest request, uint pointer, uint length) =>
        (uint)_decode(request.Transaction, request.Unit, request.Function, request.Address, request.Quantity, (int)pointer, (int)length);

    protected override void CallPostDecode(uint result) => _postDecode?.Invoke((int)result);

    protected override bool IsTrap(Exception exception) => exception is Wasmtime.TrapException or Wasmtime.WasmtimeException;

    private void Instantiate()
    {
        _store = new Wasmtime.Store(_module.Engine);
        _store.SetLimits(memorySize: _module.MemoryBytes, tableElements: 10_000, instances: 1, tables: 1, memories: 1);
        _store.Fuel = (ulong)_module.Limits.Fuel;
        try
        {
            Wasmtime.Instance instance = new Wasmtime.Linker(_module.Engine).Instantiate(_store, _module.Module);
            _memory = instance.GetMemory("memory") ?? throw Missing("memory");
            _realloc = instance.GetFunction<int, int, int, int, int>(ModbusParserAbi.Realloc) ?? throw Missing(ModbusParserAbi.Realloc);
            _configure = instance.GetFunction<int, int, int>(ModbusParserAbi.Configure) ?? throw Missing(ModbusParserAbi.Configure);
            _decode = instance.GetFunction<int, int, int, int, int, int, int, int>(ModbusParserAbi.Decode) ?? throw Missing(ModbusParserAbi.Decode);
            _postDecode = instance.GetAction<int>(ModbusParserAbi.DecodePostReturn);
        }
        catch (Exception e) when (e is Wasmtime.WasmtimeException or Wasmtime.TrapException)
        {
            _store.Dispose();
            throw new ParserConfigurationException($"the parser module cannot serve world modbus-sandbox in Wasmtime: {e.Message}", e);
        }

        Configure(_tags);
    }

    private static ParserConfigurationException Missing(string export) =>
        new($"the parser module cannot serve world modbus-sandbox: it does not export {export} with the world's signature");
}
