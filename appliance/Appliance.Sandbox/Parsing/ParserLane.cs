using System.Buffers.Binary;
using System.Text.Unicode;

namespace Appliance.Sandbox.Parsing;

/// <summary>
/// One voting lane: one engine running one parser guest of world <c>modbus-sandbox</c>, called through the canonical
/// ABI (<see cref="ModbusParserAbi"/>). The host writes the raw ADU into guest memory, calls <c>decode</c>, and lifts
/// the result into canonical <see cref="Outcome"/> bytes, checking every pointer, length, case and tag index the
/// guest returned: a guest that is consistent but wrong cannot crash the host. The lifted outcome is the same bytes
/// whichever engine or guest produced it, so lanes of different engines and guests are voted on by meaning, not by
/// memory layout. Engines plug in through the few primitives below (<see cref="ParserInstance"/>: our interpreter;
/// <see cref="WasmtimeLane"/>: Wasmtime).
/// </summary>
public abstract class ParserLane
{
    private readonly byte[] _outcome;
    private readonly int _tagCount;

    protected ParserLane(string guest, int tagCount, long fuel)
    {
        Guest = guest;
        _tagCount = tagCount;
        Fuel = fuel;

        // Largest lifted outcome: every tag once, text at its longest (125 registers = 250 bytes), or an error
        // (longer than the readings of an empty tag map).
        _outcome = new byte[Math.Max(Outcome.ErrorSize, 5 + (tagCount * (6 + 4 + 250)))];
    }

    /// <summary>The engine: "interpreter" or "wasmtime".</summary>
    public abstract string Engine { get; }

    /// <summary>The guest's name ("modbus-parser", "modbus-parser-c").</summary>
    public string Guest { get; }

    /// <summary>"engine:guest", as <c>[tmr] lanes</c> names it.</summary>
    public string Name => Engine + ":" + Guest;

    /// <summary>Fuel the lane may burn on one frame.</summary>
    public long Fuel { get; }

    /// <summary>Length of the last completed outcome in <see cref="LastOutcome"/>.</summary>
    public int OutcomeLength { get; private set; }

    /// <summary>The canonical outcome of the last completed run.</summary>
    public ReadOnlySpan<byte> LastOutcome => _outcome.AsSpan(0, OutcomeLength);

    /// <summary>What stopped the last run that did not complete: the trap, or the lifting problem.</summary>
    public string LastFault { get; private set; } = "";

    /// <summary>
    /// The instance's memory when the engine tracks the blocks it writes (our interpreter), so that lanes running the
    /// same guest in that engine can be compared for latent faults; null otherwise.
    /// </summary>
    public virtual Wasm.Memory? TrackedMemory => null;

    /// <summary>Bits of linear memory (what fault injection can flip).</summary>
    public abstract long MemoryBits { get; }

    /// <summary>Flips one bit of the last lifted outcome (fault injection: a fault between the sandbox and the vote).</summary>
    internal void CorruptOutcome(long bit)
    {
        if (OutcomeLength > 0)
        {
            long at = bit % ((long)OutcomeLength * 8);
            _outcome[at >> 3] ^= (byte)(1 << (int)(at & 7));
        }
    }

    /// <summary>Returns the lane to its configured state, whole.</summary>
    public abstract void Reset();

    /// <summary>Flips one bit of linear memory (fault injection).</summary>
    public abstract void FlipBit(long bit);

    /// <summary>Decodes one ADU. On <see cref="RunStatus.Completed"/>, <see cref="LastOutcome"/> holds the canonical outcome.</summary>
    public RunStatus Decode(in ParserRequest request, ReadOnlySpan<byte> adu, long? fuel = null)
    {
        OutcomeLength = 0;
        SetFuel(fuel ?? Fuel);
        try
        {
            uint pointer = CallRealloc(alignment: 1, (uint)adu.Length);
            if (!Fits(pointer, (uint)adu.Length))
            {
                return Malformed("cabi_realloc returned memory outside the instance");
            }

            WriteMemory(pointer, adu);
            uint result = CallDecode(request, pointer, (uint)adu.Length);
            string? problem = Lift(ReadMemory(), result);
            if (problem is not null)
            {
                return Malformed(problem);
            }

            CallPostDecode(result);
            return RunStatus.Completed;
        }
        catch (Exception e) when (IsTrap(e))
        {
            OutcomeLength = 0;
            LastFault = DescribeTrap(e);
            return RunStatus.Trapped;
        }
    }

    /// <summary>Sets the fuel for the next call.</summary>
    protected abstract void SetFuel(long fuel);

    /// <summary>The instance's whole linear memory as it is now (read again after every call: it may grow).</summary>
    protected abstract ReadOnlySpan<byte> ReadMemory();

    protected abstract void WriteMemory(uint pointer, ReadOnlySpan<byte> bytes);

    protected abstract uint CallRealloc(uint alignment, uint size);

    protected abstract uint CallConfigure(uint pointer, uint count);

    protected abstract uint CallDecode(in ParserRequest request, uint pointer, uint length);

    /// <summary>Calls the post-return function of <c>decode</c>, when the guest exports one.</summary>
    protected abstract void CallPostDecode(uint result);

    /// <summary>True for the engine's trap (an exhausted limit included).</summary>
    protected abstract bool IsTrap(Exception exception);

    /// <summary>The trap in one line, for statistics and the console.</summary>
    protected virtual string DescribeTrap(Exception trap) => trap?.Message ?? string.Empty;

    /// <summary>Lowers the tag map into guest memory and calls <c>configure</c>; throws what the guest refused.</summary>
    /// <exception cref="ParserConfigurationException">The guest refused the tag map, trapped, or answered outside its memory.</exception>
    protected void Configure(IReadOnlyList<ParserTag> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        SetFuel(Fuel);
        try
        {
            uint size = (uint)(tags.Count * ModbusParserAbi.TagSize);
            uint pointer = CallRealloc(ModbusParserAbi.TagAlign, size);
            if (!Fits(pointer, size) || pointer % ModbusParserAbi.TagAlign != 0)
            {
                throw new ParserConfigurationException("the parser's cabi_realloc returned memory outside the instance");
            }

            WriteMemory(pointer, ParserTag.LowerAll(tags));
            uint result = CallConfigure(pointer, (uint)tags.Count);
            if (!Fits(result, ModbusParserAbi.ConfigResultSize))
            {
                throw new ParserConfigurationException("the parser's configure returned a result outside its memory");
            }

            ReadOnlySpan<byte> memory = ReadMemory();
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
        catch (Exception e) when (IsTrap(e))
        {
            throw new ParserConfigurationException($"the parser trapped while configuring: {e.Message}", e);
        }
    }

    private bool Fits(uint pointer, uint length) => (ulong)pointer + length <= (ulong)ReadMemory().Length;

    private RunStatus Malformed(string problem)
    {
        OutcomeLength = 0;
        LastFault = problem;
        return RunStatus.Malformed;
    }

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
