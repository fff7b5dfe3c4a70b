using System.Collections.Immutable;

namespace Appliance.Modbus;

/// <summary>One request of a poll group's plan and the tags its reply carries.</summary>
public sealed class PlannedRead
{
    public PlannedRead(ReadRequest request, ImmutableArray<int> tagIndexes)
    {
        Request = request;
        TagIndexes = tagIndexes;
    }

    /// <summary>The read to send.</summary>
    public ReadRequest Request { get; }

    /// <summary>Indexes into the planned tags (<see cref="RequestPlanner.Plan"/>) of the tags wholly inside this read, in address order.</summary>
    public ImmutableArray<int> TagIndexes { get; }

    /// <summary>Register offset of <paramref name="tag"/> within the reply's data (0 for the first register read).</summary>
    public int RegisterOffsetOf(RegisterSpan tag)
    {
        int offset = tag.Address - Request.Address;
        if (offset < 0 || offset + tag.Count > Request.Quantity)
        {
            throw new ArgumentOutOfRangeException(nameof(tag), $"registers {tag.Address}..{tag.End - 1} are not inside registers {Request.Address}..{Request.Address + Request.Quantity - 1}");
        }

        return offset;
    }

    public override string ToString() => $"{Request} tags [{string.Join(", ", TagIndexes)}]";
}
