namespace Appliance.Wasm;

/// <summary>
/// What a host function sees when the guest calls it: the arguments, room for the results, and the calling
/// instance (for its memory). Read all arguments before writing results: the two may share slots.
/// To refuse the call, throw <see cref="TrapException"/> with <see cref="TrapCode.Host"/> and a reason.
/// </summary>
public readonly ref struct HostCall(ReadOnlySpan<ulong> arguments, Span<ulong> results, Instance? caller)
{
    public ReadOnlySpan<ulong> Arguments { get; } = arguments;

    public Span<ulong> Results { get; } = results;

    public Instance? Caller { get; } = caller;

    /// <summary>
    /// Guest memory from <paramref name="pointer"/> for <paramref name="length"/> bytes, bounds-checked (canonical ABI
    /// (ptr, len)), to read or write: its blocks are marked dirty. To only read, use <see cref="ReadGuestMemory"/>.
    /// </summary>
    public Span<byte> GuestMemory(uint pointer, uint length)
    {
        Memory memory = CheckedMemory(pointer, length);
        memory.MarkDirty(pointer, length);
        return memory.Bytes.AsSpan((int)pointer, (int)length);
    }

    /// <summary>Guest memory from <paramref name="pointer"/> for <paramref name="length"/> bytes, bounds-checked, read-only.</summary>
    public ReadOnlySpan<byte> ReadGuestMemory(uint pointer, uint length) =>
        CheckedMemory(pointer, length).Bytes.AsSpan((int)pointer, (int)length);

    private Memory CheckedMemory(uint pointer, uint length)
    {
        Memory memory = Caller?.Memory ?? throw new TrapException(TrapCode.Host, "the caller has no memory");
        if ((ulong)pointer + length > (ulong)memory.Length)
        {
            throw new TrapException(TrapCode.MemoryOutOfBounds, $"guest range {pointer}+{length} is outside its memory");
        }

        return memory;
    }
}

/// <summary>A function the host provides to guests.</summary>
public delegate void HostCallback(HostCall call);
