using System.Buffers.Binary;
using System.Text.Unicode;
using Appliance.Wasm;

namespace Appliance.Sandbox.Parsing;

/// <summary>
/// One parser sandbox: a WebAssembly instance of world <c>modbus-sandbox</c>, called through the canonical ABI
/// (<see cref="ModbusParserAbi"/>). The host writes the request and the raw ADU into guest memory, calls
/// <c>decode</c>, and lifts the result into canonical <see cref="Outcome"/> bytes, checking every pointer,
/// length, case and tag index the guest returned: a guest that is consistent but wrong cannot crash the host.
/// </summary>
public sealed class ParserInstance
{
    private readonly Instance _instance;
    private readonly Function _decode;
    private readonly Function _realloc;
    private readonly Function? _postDecode;
    private readonly long _fuel;
    private readonly ulong[] _arguments = new ulong[7];
    private readonly ulong[] _results = new ulong[1];
    private readonly byte[] _outcome;
    private readonly int _tagCount;

    private ParserInstance(Instance instance, long fuel, int tagCount)
    {
        _instance = instance;
        _decode = instance.GetFunction(ModbusParserAbi.Decode);
        _realloc = instance.GetFunction(ModbusParserAbi.Realloc);
        _postDecode = instance.Exports.TryGetValue(ModbusParserAbi.DecodePostReturn, out object? post) ? post as Function : null;
        _fuel = fuel;
        _tagCount = tagCount;

        // Largest lifted outcome: every tag once, text at its longest (125 registers = 250 bytes), or an error
        // (longer than the readings of an empty tag map).
        _outcome = new byte[Math.Max(Outcome.ErrorSize, 5 + (tagCount * (6 + 4 + 250)))];
    }

    /// <summary>The underlying instance (its memory is what fault injection flips bits in).</summary>
    public Instance Instance => _instance;

    /// <summary>Length of the last completed outcome in <see cref="LastOutcome"/>.</summary>
    public int OutcomeLength { get; private set; }

    /// <summary>The canonical outcome of the last completed run.</summary>
    public ReadOnlySpan<byte> LastOutcome => _outcome.AsSpan(0, OutcomeLength);

    /// <summary>What stopped the last run that did not complete: the trap, or the lifting problem.</summary>
    public string LastFault { get; private set; } = "";

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
        }
        catch (Exception e) when (e is WasmModuleException or TrapException or KeyNotFoundException)
        {
            throw new ParserConfigurationException($"the parser module cannot serve world modbus-sandbox: {e.Message}", e);
        }

        var parser = new ParserInstance(instance, module.Fuel, tags.Count);
        parser.Configure(instance.GetFunction(ModbusParserAbi.Configure), tags);
        instance.Checkpoint();
        return parser;
    }

    /// <summary>Returns the sandbox to its configured state. Fast: a copy of its memory snapshot.</summary>
    public void Reset() => _instance.Reset();

    /// <summary>Decodes one ADU. On <see cref="RunStatus.Completed"/>, <see cref="LastOutcome"/> holds the canonical outcome.</summary>
    public RunStatus Decode(in ParserRequest request, ReadOnlySpan<byte> adu, long? fuel = null)
    {
        OutcomeLength = 0;
        _instance.Store.Fuel = fuel ?? _fuel;
        try
        {
            uint pointer = Allocate(alignment: 1, (uint)adu.Length);
            Memory memory = _instance.Memory!;
            if (!Fits(memory, pointer, (uint)adu.Length))
            {
                return Malformed("cabi_realloc returned memory outside the instance");
            }

            memory.Write(pointer, adu);
            _arguments[0] = request.Transaction;
            _arguments[1] = request.Unit;
            _arguments[2] = request.Function;
            _arguments[3] = request.Address;
            _arguments[4] = request.Quantity;
            _arguments[5] = pointer;
            _arguments[6] = (uint)adu.Length;
            _decode.Call(_arguments, _results);
            uint result = (uint)_results[0];
            string? problem = Lift(memory.ReadOnlySpan, result);
            if (problem is not null)
            {
                return Malformed(problem);
            }

            if (_postDecode is not null)
            {
                _arguments[0] = result;
                _postDecode.Call(_arguments.AsSpan(0, 1), []);
            }

            return RunStatus.Completed;
        }
        catch (TrapException trap)
        {
            OutcomeLength = 0;
            LastFault = trap.Message;
            return RunStatus.Trapped;
        }
    }

    private RunStatus Malformed(string problem)
    {
        OutcomeLength = 0;
        LastFault = problem;
        return RunStatus.Malformed;
    }

    private void Configure(Function configure, IReadOnlyList<ParserTag> tags)
    {
        try
        {
            uint size = (uint)(tags.Count * ModbusParserAbi.TagSize);
            uint pointer = Allocate(ModbusParserAbi.TagAlign, size);
            if (!Fits(_instance.Memory, pointer, size) || pointer % ModbusParserAbi.TagAlign != 0)
            {
                throw new ParserConfigurationException("the parser's cabi_realloc returned memory outside the instance");
            }

            _instance.Memory!.Write(pointer, ParserTag.LowerAll(tags));

            _arguments[0] = pointer;
            _arguments[1] = (uint)tags.Count;
            configure.Call(_arguments.AsSpan(0, 2), _results);
            uint result = (uint)_results[0];
            ReadOnlySpan<byte> memory = _instance.Memory.ReadOnlySpan;
            if (!Fits(_instance.Memory, result, ModbusParserAbi.ConfigResultSize))
            {
                throw new ParserConfigurationException("the parser's configure returned a result outside its memory");
            }

            switch (memory[(int)result])
            {
                case 0:
                    return;
                case 1:
                    uint tag = BinaryPrimitives.ReadUInt32LittleEndian(memory[((int)result + ModbusParserAbi.ConfigErrorTag)..]);
                    var problem = (TagProblem)memory[(int)result + ModbusParserAbi.ConfigErrorProblem];
                    throw new ParserConfigurationException($"the parser refused tag {tag}: {problem}") { Tag = (int)tag, Problem = problem };
                default:
                    throw new ParserConfigurationException("the parser's configure returned an invalid result case");
            }
        }
        catch (TrapException trap)
        {
            throw new ParserConfigurationException($"the parser trapped while configuring: {trap.Message}", trap);
        }
    }

    private uint Allocate(uint alignment, uint size)
    {
        _arguments[0] = 0;
        _arguments[1] = 0;
        _arguments[2] = alignment;
        _arguments[3] = size;
        _realloc.Call(_arguments.AsSpan(0, 4), _results);
        return (uint)_results[0];
    }

    private static bool Fits(Memory? memory, uint pointer, uint length) =>
        memory is not null && (ulong)pointer + length <= (ulong)memory.Length;

    /// <summary>Lifts <c>result&lt;list&lt;reading&gt;, decode-error&gt;</c> at <paramref name="result"/> into <see cref="_outcome"/>; returns why it cannot, or null.</summary>
    private string? Lift(ReadOnlySpan<byte> memory, uint result)
    {
        if (result % ModbusParserAbi.DecodeResultAlign != 0 || (ulong)result + ModbusParserAbi.DecodeResultSize > (ulong)memory.Length)
        {
            return "the result area lies outside the instance's memory or is misaligned";
        }

        ReadOnlySpan<byte> area = memory.Slice((int)result, ModbusParserAbi.DecodeResultSize);
        switch (area[0])
        {
            case 0:
                return LiftReadings(memory, area);
            case 1:
                var error = (DecodeError)area[ModbusParserAbi.ResultPayload];
                if (error > DecodeError.ByteCountMismatch)
                {
                    return "the decode-error case is out of range";
                }

                ReadOnlySpan<byte> payload = area[ModbusParserAbi.ErrorPayload..];
                uint detail = ModbusParserAbi.ErrorPayloadWidth(error) switch
                {
                    4 => BinaryPrimitives.ReadUInt32LittleEndian(payload),
                    2 => BinaryPrimitives.ReadUInt16LittleEndian(payload),
                    1 => payload[0],
                    _ => 0,
                };
                OutcomeLength = Outcome.WriteError(_outcome, error, detail);
                return null;
            default:
                return "the result case is neither ok nor error";
        }
    }

    private string? LiftReadings(ReadOnlySpan<byte> memory, ReadOnlySpan<byte> area)
    {
        uint list = BinaryPrimitives.ReadUInt32LittleEndian(area[ModbusParserAbi.ResultPayload..]);
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(area[ModbusParserAbi.ListLength..]);
        if (count > (uint)_tagCount)
        {
            return "more readings than configured tags";
        }

        if (list % ModbusParserAbi.ReadingAlign != 0 || (ulong)list + ((ulong)count * ModbusParserAbi.ReadingSize) > (ulong)memory.Length)
        {
            return "the reading list lies outside the instance's memory or is misaligned";
        }

        Span<byte> output = _outcome;
        output[0] = Outcome.OkTag;
        BinaryPrimitives.WriteUInt32LittleEndian(output[1..], count);
        int at = 5;
        long previousTag = -1;
        for (int i = 0; i < (int)count; i++)
        {
            ReadOnlySpan<byte> reading = memory.Slice((int)list + (i * ModbusParserAbi.ReadingSize), ModbusParserAbi.ReadingSize);
            uint tag = BinaryPrimitives.ReadUInt32LittleEndian(reading);
            if (tag >= (uint)_tagCount || tag <= previousTag)
            {
                return "a reading names a tag that is out of range or out of order";
            }

            previousTag = tag;
            byte quality = reading[ModbusParserAbi.ReadingQuality];
            byte kind = reading[ModbusParserAbi.ReadingValueCase];
            if (quality > (byte)Quality.NotText || kind > (byte)ValueCase.Text)
            {
                return "a reading has an invalid quality or value case";
            }

            if ((quality == (byte)Quality.NotFinite && kind != (byte)ValueCase.Real) || (quality == (byte)Quality.NotText && kind != (byte)ValueCase.Text))
            {
                return "a reading's quality does not fit its value case";
            }

            BinaryPrimitives.WriteUInt32LittleEndian(output[at..], tag);
            output[at + 4] = quality;
            output[at + 5] = kind;
            at += 6;
            ReadOnlySpan<byte> payload = reading[ModbusParserAbi.ReadingPayload..];
            switch ((ValueCase)kind)
            {
                case ValueCase.Boolean:
                    output[at++] = payload[0] != 0 ? (byte)1 : (byte)0; // Canonical ABI: any non-zero byte lifts to true.
                    break;
                case ValueCase.Real:
                    ulong bits = BinaryPrimitives.ReadUInt64LittleEndian(payload);
                    if (!double.IsFinite(BitConverter.UInt64BitsToDouble(bits)) && quality == (byte)Quality.Good)
                    {
                        return "a real value marked good is not finite"; // nothing can publish it
                    }

                    if (double.IsNaN(BitConverter.UInt64BitsToDouble(bits)))
                    {
                        bits = 0x7FF8_0000_0000_0000; // Canonical ABI lifts every NaN as the canonical NaN.
                    }

                    BinaryPrimitives.WriteUInt64LittleEndian(output[at..], bits);
                    at += 8;
                    break;
                case ValueCase.Text:
                    uint text = BinaryPrimitives.ReadUInt32LittleEndian(payload);
                    uint length = BinaryPrimitives.ReadUInt32LittleEndian(reading[ModbusParserAbi.ReadingTextLength..]);
                    if (length > 250 || (ulong)text + length > (ulong)memory.Length)
                    {
                        return "a text value lies outside the instance's memory or is longer than 125 registers";
                    }

                    ReadOnlySpan<byte> bytes = memory.Slice((int)text, (int)length);
                    if (!Utf8.IsValid(bytes))
                    {
                        return "a text value is not valid UTF-8";
                    }

                    BinaryPrimitives.WriteUInt32LittleEndian(output[at..], length);
                    bytes.CopyTo(output[(at + 4)..]);
                    at += 4 + (int)length;
                    break;
                default:
                    payload[..8].CopyTo(output[at..]);
                    at += 8;
                    break;
            }
        }

        OutcomeLength = at;
        return null;
    }
}
