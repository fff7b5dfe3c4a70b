namespace Appliance.Modbus.Simulator;

/// <summary>
/// Places a value's big-endian bytes on the wire in a <see cref="SimulatedByteOrder"/>: a word swap reverses
/// the registers, a byte swap exchanges the two bytes within each register. Letters name the result:
/// "CDAB" puts the low word first (word swap); "BADC" swaps the bytes of each word.
/// </summary>
internal static class WireOrder
{
    private const string Letters = "ABCDEFGH";

    /// <summary>Places the big-endian bytes of a value (2, 4 or 8 bytes) on the wire in <paramref name="order"/>.</summary>
    public static void Arrange(ReadOnlySpan<byte> bigEndian, SimulatedByteOrder order, Span<byte> wire)
    {
        for (int i = 0; i < bigEndian.Length; i++)
        {
            wire[i] = bigEndian[Source(i, bigEndian.Length, order)];
        }
    }

    /// <summary>The order as letters for a value of <paramref name="size"/> bytes: "ABCD", "CDAB", "BA", ….</summary>
    public static string Name(SimulatedByteOrder order, int size) =>
        string.Create(size, order, (letters, o) =>
        {
            for (int i = 0; i < letters.Length; i++)
            {
                letters[i] = Letters[Source(i, letters.Length, o)];
            }
        });

    /// <summary>Which big-endian byte goes to wire position <paramref name="index"/>.</summary>
    private static int Source(int index, int size, SimulatedByteOrder order)
    {
        int word = index / 2;
        int half = index % 2;
        bool wordSwap = order is SimulatedByteOrder.WordSwapped or SimulatedByteOrder.LittleEndian;
        bool byteSwap = order is SimulatedByteOrder.ByteSwapped or SimulatedByteOrder.LittleEndian;
        int sourceWord = wordSwap ? (size / 2) - 1 - word : word;
        int sourceHalf = byteSwap ? 1 - half : half;
        return (sourceWord * 2) + sourceHalf;
    }
}
