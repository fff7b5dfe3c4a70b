using Appliance.Wasm;

namespace Appliance.Sandbox.Parsing;

/// <summary>
/// The interpreter lane: the parser guest in our own engine (<see cref="Appliance.Wasm"/>). Configured once and
/// checkpointed, so a reset is a copy of the blocks the guest wrote since (well under a microsecond), and its memory
/// tracks written blocks, so lanes of the same guest can be compared for latent faults.
/// </summary>
public sealed class ParserInstance : ParserLane
{
    private readonly Instance _instance;
    private readonly Function _decode;
    private readonly Function _realloc;
    private readonly Function? _postDecode;
    private readonly ulong[] _arguments = new ulong[7];
    private readonly ulong[] _results = new ulong[1];

    private ParserInstance(Instance instance, string guest, long fuel, int tagCount)
        : base(guest, tagCount, fuel)
    {
        _instance = instance;
        _decode = instance.GetFunction(ModbusParserAbi.Decode);
        _realloc = instance.GetFunction(ModbusParserAbi.Realloc);
        _postDecode = instance.Exports.TryGetValue(ModbusParserAbi.DecodePostReturn, out object? post) ? post as Function : null;
    }

    public override string Engine => "interpreter";

    /// <summary>The underlying instance (its memory is what fault injection flips bits in).</summary>
    public Instance Instance => _instance;

    public override Wasm.Memory? TrackedMemory => _instance.Memory;

    public override long MemoryBits => (long)(_instance.Memory?.Length ?? 0) * 8;

    /// <summary>Instantiates the parser, configures its tag map and checkpoints it, so that a reset returns to the configured parser.</summary>
    /// <exception cref="ParserConfigurationException">The guest refused the tag map or does not have the world's exports.</exception>
    public static ParserInstance Create(ParserModule module, IReadOnlyList<ParserTag> tags)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(tags);
        var store = new Store(module.Engine) { Fuel = module.Fuel };
        Instance instance;
        try
        {
            instance = new Linker().Instantiate(store, module.Module);
            instance.GetFunction(ModbusParserAbi.Decode);
            instance.GetFunction(ModbusParserAbi.Realloc);
            instance.GetFunction(ModbusParserAbi.Configure);
        }
        catch (Exception e) when (e is WasmModuleException or TrapException or KeyNotFoundException)
        {
            throw new ParserConfigurationException($"the parser module cannot serve world modbus-sandbox: {e.Message}", e);
        }

        var parser = new ParserInstance(instance, module.Guest, module.Fuel, tags.Count);
        parser.Configure(tags);
        instance.Checkpoint();
        return parser;
    }

    /// <summary>Returns the sandbox to its configured state. Fast: a copy of its memory snapshot.</summary>
    public override void Reset() => _instance.Reset();

    public override void FlipBit(long bit)
    {
        // A tracked write: the block becomes dirty, so the memory check compares it and a reset restores it.
        Wasm.Memory? memory = _instance.Memory;
        if (memory is not null && bit >= 0 && bit < (long)memory.Length * 8)
        {
            memory.GetWritableSpan((uint)(bit >> 3), 1)[0] ^= (byte)(1 << (int)(bit & 7));
        }
    }

    protected override void SetFuel(long fuel) => _instance.Store.Fuel = fuel;

    protected override ReadOnlySpan<byte> ReadMemory() => _instance.Memory is { } memory ? memory.ReadOnlySpan : default;

    protected override void WriteMemory(uint pointer, ReadOnlySpan<byte> bytes) => _instance.Memory!.Write(pointer, bytes);

    protected override uint CallRealloc(uint alignment, uint size)
    {
        _arguments[0] = 0;
        _arguments[1] = 0;
        _arguments[2] = alignment;
        _arguments[3] = size;
        _realloc.Call(_arguments.AsSpan(0, 4), _results);
        return (uint)_results[0];
    }

    protected override uint CallConfigure(uint pointer, uint count)
    {
        _arguments[0] = pointer;
        _arguments[1] = count;
        _instance.GetFunction(ModbusParserAbi.Configure).Call(_arguments.AsSpan(0, 2), _results);
        return (uint)_results[0];
    }

    protected override uint CallDecode(in ParserRequest request, uint pointer, uint length)
    {
        _arguments[0] = request.Transaction;
        _arguments[1] = request.Unit;
        _arguments[2] = request.Function;
        _arguments[3] = request.Address;
        _arguments[4] = request.Quantity;
        _arguments[5] = pointer;
        _arguments[6] = length;
        _decode.Call(_arguments, _results);
        return (uint)_results[0];
    }

    protected override void CallPostDecode(uint result)
    {
        if (_postDecode is not null)
        {
            _arguments[0] = result;
            _postDecode.Call(_arguments.AsSpan(0, 1), []);
        }
    }

    protected override bool IsTrap(Exception exception) => exception is TrapException;
}
