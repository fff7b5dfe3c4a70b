namespace Appliance.Config;

/// <summary>
/// <c>order</c>: how a tag's bytes lie in its registers, relative to big-endian (the Modbus default). The file
/// writes it as letters naming the value's bytes, A the most significant, in wire order; each word the file
/// accepts binds to exactly one of these, for the tag's size.
/// </summary>
public enum ByteOrder
{
    /// <summary>"AB", "ABCD", "ABCDEFGH" (the default): the most significant register first, its high byte first.</summary>
    BigEndian,

    /// <summary>"BA", "BADC", "BADCFEHG": the two bytes of every register swapped.</summary>
    ByteSwapped,

    /// <summary>"CDAB", "GHEFCDAB": the registers in reverse order, least significant first.</summary>
    WordSwapped,

    /// <summary>"DCBA", "HGFEDCBA": the registers reversed and their bytes swapped.</summary>
    LittleEndian,
}
