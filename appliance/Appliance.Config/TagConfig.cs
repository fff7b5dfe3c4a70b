namespace Appliance.Config;

/// <summary><c>[[device.group.tag]]</c>: one value decoded from registers.</summary>
/// <param name="Name">Key of the value in the telemetry message.</param>
/// <param name="Address">Protocol address of the first register (already adjusted for the device's address base).</param>
/// <param name="Type">How the registers are decoded.</param>
/// <param name="Order">Byte order of the value in its registers, bound from the letters in the file (<see cref="ByteOrder.BigEndian"/> for a bit, where it does not apply).</param>
/// <param name="Bit">For <see cref="TagType.Bit"/>: the bit of the register, 0 (least significant) to 15.</param>
/// <param name="Length">For <see cref="TagType.String"/>: the number of registers (two characters each).</param>
/// <param name="Scale">The published value is raw × Scale + Offset (numeric types only).</param>
/// <param name="Unit">Engineering unit, for people and dashboards.</param>
public sealed record TagConfig(
    string Name,
    int Address,
    TagType Type,
    ByteOrder Order,
    int Bit,
    int Length,
    double Scale,
    double Offset,
    string Unit)
{
    /// <summary>How many consecutive registers the tag occupies.</summary>
    public int RegisterCount => Type switch
    {
        TagType.Bit or TagType.Int16 or TagType.UInt16 => 1,
        TagType.Int32 or TagType.UInt32 or TagType.Float32 => 2,
        TagType.Int64 or TagType.UInt64 or TagType.Float64 => 4,
        TagType.String => Length,
        _ => 1,
    };
}
