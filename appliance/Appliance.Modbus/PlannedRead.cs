using System.Collections.Immutable;
using Appliance.Config;

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

    /// <summary>Indexes into <see cref="PollGroupConfig.Tags"/> of the tags wholly inside this read, in address order.</summary>
    public ImmutableArray<int> TagIndexes { get; }

    /// <summary>Register offset of <paramref name="tag"/> within the reply's data (0 for the first register read).</summary>
    public int RegisterOffsetOf(TagConfig tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        int offset = tag.Address - Request.Address;
        if (offset < 0 || offset + tag.RegisterCount > Request.Quantity)
        {
            throw new ArgumentOutOfRangeException(nameof(tag), $"tag \"{tag.Name}\" is not inside registers {Request.Address}..{Request.Address + Request.Quantity - 1}");
        }

        return offset;
    }

    public override string ToString() => $"{Request} tags [{string.Join(", ", TagIndexes)}]";
}
