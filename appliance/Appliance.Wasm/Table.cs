namespace Appliance.Wasm;

/// <summary>A table of references (Core spec 4.2.7). An element is 0 for null, else a reference number (see <see cref="Store"/>).</summary>
public sealed class Table
{
    /// <summary>A table of the type's minimum size, every element <paramref name="initial"/>, growable to <paramref name="maxElements"/>.</summary>
    public Table(TableType type, uint maxElements = 10_000_000, ulong initial = 0)
    {
        ArgumentNullException.ThrowIfNull(type);
        Type = type;
        MaxElements = Math.Min(type.Limits.Maximum ?? uint.MaxValue, maxElements);
        Elements = new ulong[type.Limits.Minimum];
        Array.Fill(Elements, initial);
    }

    public TableType Type { get; }

    public uint MaxElements { get; }

    public uint Size => (uint)Elements.Length;

    internal ulong[] Elements { get; private set; }

    /// <summary>table.grow: the old size, or -1 when the table cannot grow.</summary>
    public int Grow(uint delta, ulong initial)
    {
        uint old = Size;
        ulong wanted = (ulong)old + delta;
        if (wanted > MaxElements || wanted > int.MaxValue)
        {
            return -1;
        }

        if (delta > 0)
        {
            ulong[] bigger = new ulong[wanted];
            Elements.AsSpan().CopyTo(bigger);
            bigger.AsSpan((int)old).Fill(initial);
            Elements = bigger;
        }

        return (int)old;
    }

    internal void Restore(ulong[] snapshot)
    {
        if (Elements.Length != snapshot.Length)
        {
            Elements = new ulong[snapshot.Length];
        }

        snapshot.AsSpan().CopyTo(Elements);
    }
}
