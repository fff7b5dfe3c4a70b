namespace Appliance.Modbus.Simulator;

/// <summary>
/// How a value's bytes are laid out in its registers, relative to big-endian (the Modbus default). Letters name
/// the value's bytes, A the most significant, in the order they appear on the wire.
/// </summary>
public enum SimulatedByteOrder
{
    /// <summary>AB, ABCD, ABCDEFGH: the most significant register first, its high byte first.</summary>
    BigEndian,

    /// <summary>BA, BADC, BADCFEHG: the two bytes of every register swapped.</summary>
    ByteSwapped,

    /// <summary>CDAB, GHEFCDAB: the registers in reverse order (the least significant first), each high byte first.</summary>
    WordSwapped,

    /// <summary>DCBA, HGFEDCBA: the registers reversed and their bytes swapped.</summary>
    LittleEndian,
}
