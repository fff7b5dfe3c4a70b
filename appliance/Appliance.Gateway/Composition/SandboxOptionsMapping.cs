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

    /// <summary><c>[tmr.fault_injection]</c>.</summary>
    public static FaultInjectionOptions FaultInjection(FaultInjectionConfig faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        return new FaultInjectionOptions(faults.BitFlipRate, faults.TrapRate, faults.Seed);
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
    /// A byte order as written in the file, relative to big-endian: the bytes within each register are swapped when
    /// the first letter is odd-positioned (B…), the registers are reversed when the first register holds the least
    /// significant pair (CD…, GH…). "AB"/"ABCD"/"ABCDEFGH" are neither, "DCBA"/"HGFEDCBA" are both.
    /// </summary>
    public static (bool ByteSwap, bool WordSwap) Swaps(string order) => order switch
    {
        "" or "AB" or "ABCD" or "ABCDEFGH" => (false, false),
        "BA" or "BADC" or "BADCFEHG" => (true, false),
        "CDAB" or "GHEFCDAB" => (false, true),
        "DCBA" or "HGFEDCBA" => (true, true),
        _ => throw new ArgumentException($"unknown byte order \"{order}\"", nameof(order)),
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
