using Appliance.Config;
using Appliance.Modbus.Simulator;

namespace Appliance.Gateway.Composition;

/// <summary>A configuration's tags as the PLC simulator's register map (<c>appliance plc-sim --config</c>).</summary>
public static class SimulatorMapping
{
    /// <summary>
    /// The tags of every device and group of <paramref name="config"/>, in their areas at their addresses
    /// (devices share one register space; the simulator answers every unit id). The waveforms are the
    /// simulator's choice for each tag's type and position in the file (<see cref="SimulatorRegisterMap.WaveformFor"/>).
    /// </summary>
    public static SimulatorRegisterMap RegisterMap(ApplianceConfig config, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(config);
        var tags = new List<SimulatedTag>();
        int index = 0;
        foreach (ModbusDeviceConfig device in config.Devices)
        {
            foreach (PollGroupConfig group in device.Groups)
            {
                foreach (TagConfig tag in group.Tags)
                {
                    tags.Add(Tag(tag, group.Area, SimulatorRegisterMap.WaveformFor(ValueType(tag.Type), index, seed)));
                    index++;
                }
            }
        }

        return new SimulatorRegisterMap(tags);
    }

    /// <summary>One configured tag, served in <paramref name="area"/> and driven by <paramref name="waveform"/>.</summary>
    public static SimulatedTag Tag(TagConfig tag, RegisterArea area, Waveform waveform)
    {
        ArgumentNullException.ThrowIfNull(tag);
        return new SimulatedTag(
            tag.Name,
            ModbusOptionsMapping.Function(area),
            tag.Address,
            ValueType(tag.Type),
            waveform,
            Order(tag.Order),
            tag.Bit,
            tag.Length,
            tag.Scale,
            tag.Offset);
    }

    /// <summary>How the simulator places a tag of <paramref name="type"/> in its registers.</summary>
    public static SimulatedValueType ValueType(TagType type) => type switch
    {
        TagType.Bit => SimulatedValueType.Bit,
        TagType.Int16 => SimulatedValueType.Int16,
        TagType.UInt16 => SimulatedValueType.UInt16,
        TagType.Int32 => SimulatedValueType.Int32,
        TagType.UInt32 => SimulatedValueType.UInt32,
        TagType.Int64 => SimulatedValueType.Int64,
        TagType.UInt64 => SimulatedValueType.UInt64,
        TagType.Float32 => SimulatedValueType.Float32,
        TagType.Float64 => SimulatedValueType.Float64,
        TagType.String => SimulatedValueType.String,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a tag type the configuration binds"),
    };

    /// <summary>The simulator places the value's bytes in the tag's byte order.</summary>
    public static SimulatedByteOrder Order(ByteOrder order) => order switch
    {
        ByteOrder.BigEndian => SimulatedByteOrder.BigEndian,
        ByteOrder.ByteSwapped => SimulatedByteOrder.ByteSwapped,
        ByteOrder.WordSwapped => SimulatedByteOrder.WordSwapped,
        ByteOrder.LittleEndian => SimulatedByteOrder.LittleEndian,
        _ => throw new ArgumentOutOfRangeException(nameof(order), order, "not a byte order the configuration binds"),
    };
}
