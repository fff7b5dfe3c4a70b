using Appliance.Config;
using Appliance.Sandbox.Parsing;
using Appliance.Sandbox.Voting;

namespace Appliance.Gateway.Composition;

/// <summary>The <c>[tmr]</c> section and the configured tags as <see cref="Appliance.Sandbox"/>'s own options.</summary>
public static class SandboxOptionsMapping
{
    /// <summary><c>mode</c>: "2oo3", "1oo2" or "1oo1".</summary>
    public static VotingMode Mode(TmrMode mode) => mode switch
    {
        TmrMode.TwoOutOfThree => VotingMode.TwoOutOfThree,
        TmrMode.OneOutOfTwo => VotingMode.OneOutOfTwo,
        TmrMode.OneOutOfOne => VotingMode.OneOutOfOne,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "not a voting mode the configuration binds"),
    };

    /// <summary><c>fuel</c>, <c>memory_pages</c>, <c>stack_slots</c> and <c>call_depth</c>.</summary>
    public static SandboxLimits Limits(TmrConfig tmr)
    {
        ArgumentNullException.ThrowIfNull(tmr);
        return new SandboxLimits(tmr.Fuel, tmr.MemoryPages, tmr.StackSlots, tmr.CallDepth);
    }

    /// <summary><c>lanes</c>: the engine and guest of each voting lane, in order.</summary>
    public static LaneSpec[] Lanes(IEnumerable<LaneConfig> lanes)
    {
        ArgumentNullException.ThrowIfNull(lanes);
        return [.. lanes.Select(lane => new LaneSpec(
            lane.Engine switch
            {
                SandboxEngine.Wasmtime => LaneEngine.Wasmtime,
                SandboxEngine.Interpreter => LaneEngine.Interpreter,
                _ => throw new ArgumentOutOfRangeException(nameof(lanes), lane.Engine, "not an engine the configuration binds"),
            },
            lane.Guest))];
    }

    /// <summary><c>[tmr.fault_injection]</c>.</summary>
    public static FaultInjectionOptions FaultInjection(FaultInjectionConfig faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        return new FaultInjectionOptions(faults.BitFlipRate, faults.TrapRate, faults.Seed) { CorruptRate = faults.CorruptRate };
    }

    /// <summary>The tags of a poll group as the parser's tag map, in the group's order (a tag's index is its position).</summary>
    public static ParserTag[] Tags(IEnumerable<TagConfig> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        return [.. tags.Select(Tag)];
    }

    /// <summary>One tag as the parser decodes it: its registers, its kind, its byte order as swap flags, its bit and its scaling.</summary>
    public static ParserTag Tag(TagConfig tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        (bool byteSwap, bool wordSwap) = Swaps(tag.Order);
        return new ParserTag(
            checked((ushort)tag.Address),
            Kind(tag.Type),
            byteSwap,
            wordSwap,
            tag.Type == TagType.Bit ? (byte)tag.Bit : (byte)0,
            checked((ushort)tag.RegisterCount),
            tag.Scale,
            tag.Offset);
    }

    /// <summary>
    /// A byte order as the parser's two flags, relative to big-endian: the bytes within each register are swapped
    /// (BA, BADC, BADCFEHG), the registers are reversed (CDAB, GHEFCDAB), or both (DCBA, HGFEDCBA).
    /// </summary>
    public static (bool ByteSwap, bool WordSwap) Swaps(ByteOrder order) => order switch
    {
        ByteOrder.BigEndian => (false, false),
        ByteOrder.ByteSwapped => (true, false),
        ByteOrder.WordSwapped => (false, true),
        ByteOrder.LittleEndian => (true, true),
        _ => throw new ArgumentOutOfRangeException(nameof(order), order, "not a byte order the configuration binds"),
    };

    /// <summary>How the parser decodes a tag's registers.</summary>
    public static TagKind Kind(TagType type) => type switch
    {
        TagType.Bit => TagKind.Bit,
        TagType.Int16 => TagKind.Int16,
        TagType.UInt16 => TagKind.UInt16,
        TagType.Int32 => TagKind.Int32,
        TagType.UInt32 => TagKind.UInt32,
        TagType.Int64 => TagKind.Int64,
        TagType.UInt64 => TagKind.UInt64,
        TagType.Float32 => TagKind.Float32,
        TagType.Float64 => TagKind.Float64,
        TagType.String => TagKind.Text,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a tag type the configuration binds"),
    };
}
