using System.Buffers.Binary;

namespace Appliance.Sandbox.Parsing;

/// <summary>The <c>tag</c> record of <c>wit/modbus-parser.wit</c>: one value of a poll group, as the parser sees it.</summary>
/// <param name="Address">Protocol address of the first register.</param>
/// <param name="ByteSwap">The two bytes of every register are swapped (BA, BADC, BADCFEHG).</param>
/// <param name="WordSwap">Registers come least significant first (CDAB, GHEFCDAB).</param>
/// <param name="Bit">For <see cref="TagKind.Bit"/>: the bit, 0 (least significant) to 15.</param>
/// <param name="Length">Registers spanned.</param>
public readonly record struct ParserTag(
    ushort Address,
    TagKind Kind,
    bool ByteSwap,
    bool WordSwap,
    byte Bit,
    ushort Length,
    double Scale,
    double Offset)
{
    /// <summary>Writes the record as the canonical ABI lays it out in guest memory (<see cref="ModbusParserAbi"/>).</summary>
    public void Lower(Span<byte> record)
    {
        record = record[..ModbusParserAbi.TagSize];
        record.Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(record[ModbusParserAbi.TagAddress..], Address);
        record[ModbusParserAbi.TagKindOffset] = (byte)Kind;
        record[ModbusParserAbi.TagOrder] = (byte)((ByteSwap ? ModbusParserAbi.OrderByteSwap : 0) | (WordSwap ? ModbusParserAbi.OrderWordSwap : 0));
        record[ModbusParserAbi.TagBit] = Bit;
        BinaryPrimitives.WriteUInt16LittleEndian(record[ModbusParserAbi.TagLength..], Length);
        BinaryPrimitives.WriteDoubleLittleEndian(record[ModbusParserAbi.TagScale..], Scale);
        BinaryPrimitives.WriteDoubleLittleEndian(record[ModbusParserAbi.TagOffsetField..], Offset);
    }

    /// <summary>A whole tag list, lowered: what <c>configure</c> receives.</summary>
    public static byte[] LowerAll(IReadOnlyList<ParserTag> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        byte[] bytes = new byte[tags.Count * ModbusParserAbi.TagSize];
        for (int i = 0; i < tags.Count; i++)
        {
            tags[i].Lower(bytes.AsSpan(i * ModbusParserAbi.TagSize));
        }

        return bytes;
    }
}
