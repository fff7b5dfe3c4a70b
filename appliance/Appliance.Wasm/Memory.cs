namespace Appliance.Wasm;

/// <summary>
/// A linear memory (Core spec 4.2.8). Its bytes live in a pinned array, so the interpreter can use a pointer.
/// <para>
/// The same array holds, right after the bytes, a dirty map: one byte per <see cref="BlockSize"/> block, non-zero
/// once anything wrote the block since the memory was last restored or checkpointed. Every writer marks it: the
/// interpreter's stores (through the pointer and size it already holds, without a register more), the bulk
/// operators, instantiation's data segments, <see cref="Write"/>, <see cref="GetWritableSpan"/> and
/// <see cref="HostCall.GuestMemory"/>; <see cref="Span"/>, which cannot know what its holder writes, marks every
/// block, and so does a grow. So a reset copies back only the dirty blocks, and a comparison of memories that left
/// one snapshot together need only look at the blocks either has dirtied.
/// </para>
/// </summary>
public sealed class Memory
{
    public const int PageSize = 65_536;

    /// <summary>The granule of dirty tracking, in bytes.</summary>
    public const int BlockSize = 1 << BlockShift;

    internal const int BlockShift = 10;

    /// <summary>The most pages whose bytes and dirty map fit one .NET array.</summary>
    internal const uint MaxPagesPerArray = 32_735;

    private int _length;

    /// <summary>A memory of the type's minimum size that may grow to the smaller of its maximum and <paramref name="maxPages"/>.</summary>
    public Memory(MemoryType type, uint maxPages = 65_536)
    {
        ArgumentNullException.ThrowIfNull(type);
        Type = type;
        MaxPages = Math.Min(Math.Min(type.Limits.Maximum ?? uint.MaxValue, maxPages), MaxPagesPerArray);
        Pages = type.Limits.Minimum;
        if (Pages > MaxPagesPerArray)
        {
            throw new ArgumentOutOfRangeException(nameof(type), $"a memory of {Pages} pages is larger than the {MaxPagesPerArray} pages one array holds");
        }

        _length = (int)Pages * PageSize;
        Bytes = GC.AllocateArray<byte>(ArrayLength(_length), pinned: true);
    }

    /// <summary>A memory whose first contents are <paramref name="image"/> (its minimum size), copied without zeroing first; no block is dirty.</summary>
    internal Memory(MemoryType type, uint maxPages, byte[] image)
    {
        Type = type;
        MaxPages = Math.Min(Math.Min(type.Limits.Maximum ?? uint.MaxValue, maxPages), MaxPagesPerArray);
        Pages = type.Limits.Minimum;
        _length = image.Length;
        Bytes = GC.AllocateUninitializedArray<byte>(ArrayLength(_length), pinned: true);
        image.AsSpan().CopyTo(Bytes);
        DirtyMap.Clear();
    }

    public MemoryType Type { get; }

    /// <summary>The current size in pages.</summary>
    public uint Pages { get; private set; }

    /// <summary>The most pages it may grow to: its own maximum or the engine's, whichever is lower.</summary>
    public uint MaxPages { get; }

    /// <summary>The current size in bytes.</summary>
    public int Length => _length;

    /// <summary>The number of <see cref="BlockSize"/> blocks.</summary>
    public int BlockCount => _length >> BlockShift;

    /// <summary>The bytes, then the dirty map (<see cref="BlockCount"/> bytes). Internal: writers mark what they write.</summary>
    internal byte[] Bytes { get; private set; }

    /// <summary>
    /// The memory's bytes for reading and writing; the view is invalid after a grow. As the memory cannot see
    /// what its holder writes, it marks every block dirty: prefer <see cref="ReadOnlySpan"/>, <see cref="Read"/>,
    /// <see cref="Write"/> and <see cref="GetWritableSpan"/>.
    /// </summary>
    public Span<byte> Span
    {
        get
        {
            MarkAllDirty();
            return Bytes.AsSpan(0, _length);
        }
    }

    /// <summary>The memory's bytes, read-only; the view is invalid after a grow.</summary>
    public ReadOnlySpan<byte> ReadOnlySpan => Bytes.AsSpan(0, _length);

    /// <summary>One byte per block, non-zero when the block was written since the last restore or checkpoint.</summary>
    public ReadOnlySpan<byte> DirtyBlocks => Bytes.AsSpan(_length, _length >> BlockShift);

    private Span<byte> DirtyMap => Bytes.AsSpan(_length, _length >> BlockShift);

    /// <summary><paramref name="length"/> bytes from <paramref name="offset"/>, read-only.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the memory.</exception>
    public ReadOnlySpan<byte> Read(uint offset, uint length)
    {
        CheckRange(offset, length);
        return Bytes.AsSpan((int)offset, (int)length);
    }

    /// <summary>Copies <paramref name="bytes"/> to <paramref name="offset"/> and marks the blocks written.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the memory.</exception>
    public void Write(uint offset, ReadOnlySpan<byte> bytes)
    {
        CheckRange(offset, (uint)bytes.Length);
        bytes.CopyTo(Bytes.AsSpan((int)offset));
        MarkDirty(offset, (uint)bytes.Length);
    }

    /// <summary><paramref name="length"/> bytes from <paramref name="offset"/> to write into; marks their blocks dirty.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the memory.</exception>
    public Span<byte> GetWritableSpan(uint offset, uint length)
    {
        CheckRange(offset, length);
        MarkDirty(offset, length);
        return Bytes.AsSpan((int)offset, (int)length);
    }

    /// <summary>Marks every block dirty, so that the next reset restores the whole memory.</summary>
    public void MarkAllDirty() => DirtyMap.Fill(1);

    /// <summary>memory.grow (Core spec 4.4.7): the old size in pages, or -1 when the memory cannot grow. Marks every block dirty.</summary>
    public int Grow(uint delta)
    {
        uint old = Pages;
        ulong wanted = (ulong)old + delta;
        if (wanted > MaxPages)
        {
            return -1;
        }

        if (delta > 0)
        {
            int length = (int)wanted * PageSize;
            byte[] bigger = GC.AllocateArray<byte>(ArrayLength(length), pinned: true);
            Bytes.AsSpan(0, _length).CopyTo(bigger);
            Bytes = bigger;
            _length = length;
            Pages = (uint)wanted;
            MarkAllDirty();
        }

        return (int)old;
    }

    /// <summary>Marks the blocks of [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="count"/>) dirty; the range is inside the memory.</summary>
    internal void MarkDirty(ulong offset, ulong count)
    {
        if (count == 0)
        {
            return;
        }

        int first = (int)(offset >> BlockShift);
        int last = (int)((offset + count - 1) >> BlockShift);
        Bytes.AsSpan(_length + first, last - first + 1).Fill(1);
    }

    /// <summary>Forgets which blocks were written: the current contents become the reference (a checkpoint).</summary>
    internal void ClearDirty() => DirtyMap.Clear();

    /// <summary>
    /// Puts the memory back to a saved size and contents (snapshot reset): the blocks written since the last restore
    /// or checkpoint, or everything when the size differs.
    /// </summary>
    internal void Restore(byte[] snapshot, uint pages)
    {
        if (_length != snapshot.Length)
        {
            Bytes = GC.AllocateUninitializedArray<byte>(ArrayLength(snapshot.Length), pinned: true);
            _length = snapshot.Length;
            Pages = pages;
            snapshot.AsSpan().CopyTo(Bytes);
            DirtyMap.Clear();
            return;
        }

        Span<byte> dirty = DirtyMap;
        int block = dirty.IndexOfAnyExcept((byte)0);
        while (block >= 0)
        {
            int end = block + 1;
            while (end < dirty.Length && dirty[end] != 0)
            {
                end++;
            }

            int start = block << BlockShift;
            snapshot.AsSpan(start, (end - block) << BlockShift).CopyTo(Bytes.AsSpan(start));
            dirty[block..end].Clear();
            int next = dirty[end..].IndexOfAnyExcept((byte)0);
            block = next < 0 ? -1 : end + next;
        }

        Pages = pages;
    }

    private static int ArrayLength(int length) => length + (length >> BlockShift);

    private void CheckRange(uint offset, uint length)
    {
        if ((ulong)offset + length > (ulong)_length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"the range {offset}+{length} is outside the memory of {_length} bytes");
        }
    }
}
