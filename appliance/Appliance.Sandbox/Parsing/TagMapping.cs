using Appliance.Config;

namespace Appliance.Sandbox.Parsing;

/// <summary>Turns the configuration's tags into the parser's tag records (<c>order</c> strings into swap flags).</summary>
public static class TagMapping
{
    public static ParserTag ToParserTag(TagConfig tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        (bool byteSwap, bool wordSwap) = ParseOrder(tag.Order);
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

    public static ParserTag[] ToParserTags(IEnumerable<TagConfig> tags) => [.. tags.Select(ToParserTag)];

    /// <summary>
    /// A byte order as written in the file, relative to big-endian: the bytes within each register are swapped when
    /// the first letter is odd-positioned (B…), the registers are reversed when the first register holds the least
    /// significant pair (CD…, GH…). "AB"/"ABCD"/"ABCDEFGH" are neither, "DCBA"/"HGFEDCBA" are both.
    /// </summary>
    public static (bool ByteSwap, bool WordSwap) ParseOrder(string order) => order switch
    {
        "" or "AB" or "ABCD" or "ABCDEFGH" => (false, false),
        "BA" or "BADC" or "BADCFEHG" => (true, false),
        "CDAB" or "GHEFCDAB" => (false, true),
        "DCBA" or "HGFEDCBA" => (true, true),
        _ => throw new ArgumentException($"unknown byte order \"{order}\"", nameof(order)),
    };

    private static TagKind Kind(TagType type) => type switch
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
        _ => TagKind.Text,
    };
}
