namespace Appliance.Wasm;

/// <summary>A linear memory (Core spec 4.2.8). Its bytes live in a pinned array, so the interpreter can use a pointer.</summary>
public sealed class Memory
{
    public const int PageSize = 65_536;

    /// <summary>A memory of the type's minimum size that may grow to the smaller of its maximum and <paramref name="maxPages"/>.</summary>
    public Memory(MemoryType type, uint maxPages = 65_536)
    {
        ArgumentNullException.ThrowIfNull(type);
        Type = type;
        MaxPages = Math.Min(type.Limits.Maximum ?? uint.MaxValue, maxPages);
        Pages = type.Limits.Minimum;
        Bytes = GC.AllocateArray<byte>(checked((int)Math.Min((long)Pages * PageSize, int.MaxValue)), pinned: true);
    }

    /// <summary>A memory whose first contents are <paramref name="image"/> (its minimum size), copied without zeroing first.</summary>
    internal Memory(MemoryType type, uint maxPages, byte[] image)
    {
        Type = type;
        MaxPages = Math.Min(type.Limits.Maximum ?? uint.MaxValue, maxPages);
        Pages = type.Limits.Minimum;
        Bytes = GC.AllocateUninitializedArray<byte>(image.Length, pinned: true);
        image.AsSpan().CopyTo(Bytes);
    }

    public MemoryType Type { get; }

    /// <summary>The current size in pages.</summary>
    public uint Pages { get; private set; }

    /// <summary>The most pages it may grow to: its own maximum or the engine's, whichever is lower.</summary>
    public uint MaxPages { get; }

    internal byte[] Bytes { get; private set; }

    /// <summary>The memory's bytes; the view is invalid after a grow.</summary>
    public Span<byte> Span => Bytes;

    /// <summary>memory.grow (Core spec 4.4.7): the old size in pages, or -1 when the memory cannot grow.</summary>
    public int Grow(uint delta)
    {
        uint old = Pages;
        ulong wanted = (ulong)old + delta;
        if (wanted > MaxPages || wanted * PageSize > int.MaxValue)
        {
            return -1;
        }

        if (delta > 0)
        {
            byte[] bigger = GC.AllocateArray<byte>((int)(wanted * PageSize), pinned: true);
            Bytes.AsSpan().CopyTo(bigger);
            Bytes = bigger;
            Pages = (uint)wanted;
        }

        return (int)old;
    }

    /// <summary>Puts the memory back to a saved size and contents (snapshot reset).</summary>
    internal void Restore(byte[] snapshot, uint pages)
    {
        if (Bytes.Length != snapshot.Length)
        {
            Bytes = GC.AllocateArray<byte>(snapshot.Length, pinned: true);
        }

        snapshot.AsSpan().CopyTo(Bytes);
        Pages = pages;
    }
}
