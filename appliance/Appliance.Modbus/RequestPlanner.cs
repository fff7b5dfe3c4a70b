using System.Collections.Immutable;

namespace Appliance.Modbus;

/// <summary>
/// Turns a poll group's tags into as few reads as the rules allow: tags are taken in address order and
/// joined into one read while the read stays within 125 registers (Modbus Application Protocol v1.1b3
/// §6.3, §6.4) and the run of unused registers between one tag's end and the next tag's start is at
/// most the device's max gap. A tag is never split across reads; overlapping tags share a read.
/// </summary>
public static class RequestPlanner
{
    /// <summary>
    /// Plans the reads of the registers <paramref name="tags"/> occupy, with <paramref name="function"/>, addressed
    /// to <paramref name="unitId"/>. A tag's index in <paramref name="tags"/> is its index in <see cref="PlannedRead.TagIndexes"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A tag's registers cannot be read with one request.</exception>
    public static ImmutableArray<PlannedRead> Plan(IReadOnlyList<RegisterSpan> tags, byte unitId, ReadFunction function, int maxGap)
    {
        ArgumentNullException.ThrowIfNull(tags);
        ArgumentOutOfRangeException.ThrowIfNegative(maxGap);
        if (function is not (ReadFunction.ReadHoldingRegisters or ReadFunction.ReadInputRegisters))
        {
            throw new ArgumentOutOfRangeException(nameof(function), function, "only function codes 0x03 and 0x04 are ever sent");
        }

        if (tags.Count == 0)
        {
            return [];
        }

        int[] order = new int[tags.Count];
        for (int i = 0; i < order.Length; i++)
        {
            RegisterSpan tag = tags[i];
            if (tag.Count is < 1 or > ReadRequest.MaxQuantity || tag.Address < 0 || tag.End > ReadRequest.AddressSpace)
            {
                throw new ArgumentException($"tag {i} (address {tag.Address}, {tag.Count} registers) cannot be read with one request", nameof(tags));
            }

            order[i] = i;
        }

        // Address order; the tag's own index breaks ties, so plans are the same on every run.
        Array.Sort(order, (a, b) => tags[a].Address != tags[b].Address ? tags[a].Address.CompareTo(tags[b].Address) : a.CompareTo(b));

        ImmutableArray<PlannedRead>.Builder reads = ImmutableArray.CreateBuilder<PlannedRead>();
        ImmutableArray<int>.Builder covered = ImmutableArray.CreateBuilder<int>();
        int start = tags[order[0]].Address;
        int end = tags[order[0]].End; // exclusive
        covered.Add(order[0]);
        for (int i = 1; i < order.Length; i++)
        {
            RegisterSpan tag = tags[order[i]];
            int tagEnd = tag.End;
            int gap = tag.Address - end; // negative or zero when the tag overlaps or touches the read
            int joinedEnd = Math.Max(end, tagEnd);
            if (gap <= maxGap && joinedEnd - start <= ReadRequest.MaxQuantity)
            {
                end = joinedEnd;
                covered.Add(order[i]);
                continue;
            }

            reads.Add(Read(unitId, function, start, end, covered));
            start = tag.Address;
            end = tagEnd;
            covered.Add(order[i]);
        }

        reads.Add(Read(unitId, function, start, end, covered));
        return reads.DrainToImmutable();
    }

    private static PlannedRead Read(byte unitId, ReadFunction function, int start, int end, ImmutableArray<int>.Builder covered) =>
        new(new ReadRequest(unitId, function, (ushort)start, (ushort)(end - start)), covered.DrainToImmutable());
}
