namespace Appliance.Modbus.Simulator;

/// <summary>
/// Byte orders as the configuration writes them: letters name a value's bytes, A the most significant,
/// in the order they appear on the wire. "CDAB" puts the low word first (word swap); "BADC" swaps the
/// bytes of each word.
/// </summary>
internal static class WireOrder
{
    /// <summary>The default order for a value of <paramref name="size"/> bytes: big-endian.</summary>
    public static string Default(int size) => "ABCDEFGH"[..size];

    /// <summary>True when <paramref name="order"/> uses each of the first <paramref name="size"/> letters exactly once.</summary>
    public static bool IsValid(string order, int size)
    {
        if (order.Length != size)
        {
            return false;
        }

        int seen = 0;
        foreach (char letter in order)
        {
            int index = letter - 'A';
            if (index < 0 || index >= size || (seen & (1 << index)) != 0)
            {
                return false;
            }

            seen |= 1 << index;
        }

        return true;
    }

    /// <summary>Places the big-endian bytes of a value on the wire in <paramref name="order"/>.</summary>
    public static void Arrange(ReadOnlySpan<byte> bigEndian, string order, Span<byte> wire)
    {
        for (int i = 0; i < order.Length; i++)
        {
            wire[i] = bigEndian[order[i] - 'A'];
        }
    }
}
