using System.Collections.Immutable;

namespace Appliance.Modbus.Simulator;

/// <summary>
/// The registers the simulator serves, as tags over two areas: holding (0x03) and input (0x04).
/// Registers no tag covers read as 0. Bit tags OR their bit into the register, after the other tags
/// have written theirs; several bit tags can share one register.
/// </summary>
public sealed partial class SimulatorRegisterMap
{
    private readonly ImmutableArray<SimulatedTag> _holding;
    private readonly ImmutableArray<SimulatedTag> _input;

    public SimulatorRegisterMap(IEnumerable<SimulatedTag> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        ImmutableArray<SimulatedTag> all = [.. tags.OrderBy(tag => tag.Area).ThenBy(tag => tag.Address)];
        Tags = all;
        _holding = [.. all.Where(tag => tag.Area == ReadFunction.ReadHoldingRegisters)];
        _input = [.. all.Where(tag => tag.Area == ReadFunction.ReadInputRegisters)];
    }

    /// <summary>Every tag, holding registers first, each area in address order.</summary>
    public ImmutableArray<SimulatedTag> Tags { get; }

    /// <summary>The tags of one area (the function that reads it), in address order.</summary>
    public ImmutableArray<SimulatedTag> TagsIn(ReadFunction area) => area == ReadFunction.ReadInputRegisters ? _input : _holding;

    /// <summary>The tag called <paramref name="name"/> in <paramref name="area"/>, or null.</summary>
    public SimulatedTag? Find(ReadFunction area, string name)
    {
        foreach (SimulatedTag tag in TagsIn(area))
        {
            if (tag.Name == name)
            {
                return tag;
            }
        }

        return null;
    }

    /// <summary>
    /// Writes registers <paramref name="address"/>..+<paramref name="quantity"/> of <paramref name="area"/>
    /// at <paramref name="step"/> into <paramref name="destination"/>, two bytes each, high byte first:
    /// one consistent snapshot.
    /// </summary>
    public void Read(ReadFunction area, int address, int quantity, long step, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(address);
        ArgumentOutOfRangeException.ThrowIfNegative(quantity);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(address + quantity, ReadRequest.AddressSpace, nameof(quantity));
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, quantity * 2, nameof(destination));
        Span<byte> registers = destination[..(quantity * 2)];
        registers.Clear();
        Span<byte> scratch = stackalloc byte[ReadRequest.MaxQuantity * 2];
        int end = address + quantity;
        ImmutableArray<SimulatedTag> tags = TagsIn(area);
        for (int pass = 0; pass < 2; pass++)
        {
            bool bits = pass == 1;
            foreach (SimulatedTag tag in tags)
            {
                if ((tag.Type == SimulatedValueType.Bit) != bits)
                {
                    continue;
                }

                int from = Math.Max(address, tag.Address);
                int to = Math.Min(end, tag.Address + tag.RegisterCount);
                if (from >= to)
                {
                    continue;
                }

                tag.WriteRegisters(step, scratch);
                ReadOnlySpan<byte> source = scratch.Slice((from - tag.Address) * 2, (to - from) * 2);
                Span<byte> target = registers.Slice((from - address) * 2, (to - from) * 2);
                if (bits)
                {
                    target[0] |= source[0];
                    target[1] |= source[1];
                }
                else
                {
                    source.CopyTo(target);
                }
            }
        }
    }
}
