using System.Text;
using Appliance.Config;
using Appliance.Gateway.Composition;
using Appliance.Modbus;
using Appliance.Modbus.Simulator;

namespace Appliance.Gateway.Tests.Composition;

/// <summary>A configuration's tags as the simulator's register map, checked by decoding the registers with the parser guest.</summary>
public sealed class SimulatorMappingTests
{
    [Theory]
    [InlineData(TagType.Bit, SimulatedValueType.Bit)]
    [InlineData(TagType.Int16, SimulatedValueType.Int16)]
    [InlineData(TagType.UInt16, SimulatedValueType.UInt16)]
    [InlineData(TagType.Int32, SimulatedValueType.Int32)]
    [InlineData(TagType.UInt32, SimulatedValueType.UInt32)]
    [InlineData(TagType.Int64, SimulatedValueType.Int64)]
    [InlineData(TagType.UInt64, SimulatedValueType.UInt64)]
    [InlineData(TagType.Float32, SimulatedValueType.Float32)]
    [InlineData(TagType.Float64, SimulatedValueType.Float64)]
    [InlineData(TagType.String, SimulatedValueType.String)]
    public void EveryTagTypeHasOneSimulatedValueType(TagType type, SimulatedValueType expected)
    {
        Assert.Equal(expected, SimulatorMapping.ValueType(type));
    }

    [Theory]
    [InlineData(ByteOrder.BigEndian, SimulatedByteOrder.BigEndian)]
    [InlineData(ByteOrder.ByteSwapped, SimulatedByteOrder.ByteSwapped)]
    [InlineData(ByteOrder.WordSwapped, SimulatedByteOrder.WordSwapped)]
    [InlineData(ByteOrder.LittleEndian, SimulatedByteOrder.LittleEndian)]
    public void EachByteOrderIsOneSimulatorOrder(ByteOrder order, SimulatedByteOrder expected)
    {
        Assert.Equal(expected, SimulatorMapping.Order(order));
    }

    [Fact]
    public void EveryByteOrderIsMappedToADifferentSimulatorOrder()
    {
        ByteOrder[] orders = Enum.GetValues<ByteOrder>();

        Assert.All(orders, order => Assert.True(Enum.IsDefined(SimulatorMapping.Order(order))));
        Assert.Equal(orders.Length, orders.Select(SimulatorMapping.Order).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(AcceptedOrders.All), MemberType = typeof(AcceptedOrders))]
    public void TheSimulatorNamesEveryOrderTheFileAcceptsWithTheFilesOwnLetters(string type, string order)
    {
        SimulatedTag tag = SimulatorMapping.Tag(AcceptedOrders.OneTag(type, order), RegisterArea.Holding, new RampWaveform(0, 0, 1));

        Assert.Equal(order, tag.OrderName);
    }

    [Theory]
    [MemberData(nameof(AcceptedOrders.All), MemberType = typeof(AcceptedOrders))]
    public void TheParserReadsWhatTheSimulatorServesInEveryOrderTheFileAccepts(string type, string order)
    {
        TagConfig tag = AcceptedOrders.OneTag(type, order);
        SimulatedTag served = SimulatorMapping.Tag(tag, RegisterArea.Holding, SimulatorRegisterMap.WaveformFor(SimulatorMapping.ValueType(tag.Type), 1, 7));
        byte[] wire = new byte[tag.RegisterCount * 2];

        for (long step = 0; step < 600; step += 23)
        {
            served.WriteRegisters(step, wire);

            object? decoded = Assert.Single(ParserDecoding.Values([SandboxOptionsMapping.Tag(tag)], ReadFunction.ReadHoldingRegisters, 0, wire));
            Assert.Equal(served.Type == SimulatedValueType.String ? served.TextAt(step) : served.ScaledValueAt(step), decoded);
        }
    }

    [Fact]
    public void TheDefaultMapServesTheTagsOfTheExampleConfigurationWhereItSaysTheyAre()
    {
        SimulatorRegisterMap defaults = SimulatorRegisterMap.CreateDefault();
        PollGroupConfig group = Assert.Single(Assert.Single(Configs.Example().Devices).Groups);

        foreach (TagConfig tag in group.Tags)
        {
            SimulatedTag configured = SimulatorMapping.Tag(tag, group.Area, new RampWaveform(0, 0, 1));
            SimulatedTag? served = defaults.Find(ModbusOptionsMapping.Function(group.Area), tag.Name);
            Assert.NotNull(served);
            Assert.Equal(
                (configured.Area, configured.Address, configured.Type, configured.Order, configured.Bit, configured.RegisterCount, configured.Scale, configured.Offset),
                (served.Area, served.Address, served.Type, served.Order, served.Bit, served.RegisterCount, served.Scale, served.Offset));
        }
    }

    [Fact]
    public void AConfigurationsTagsAreServedInTheirAreasAtTheirAddresses()
    {
        const string Toml = """
            [[device]]
            name = "plc-a"
            host = "127.0.0.1"
            [[device.group]]
            name = "fast"
            registers = "input"
            [[device.group.tag]]
            name = "speed"
            address = 10
            type = "float32"
            order = "CDAB"
            [[device.group.tag]]
            name = "alarm_a"
            address = 12
            type = "bit"
            bit = 3
            [[device.group.tag]]
            name = "alarm_b"
            address = 12
            type = "bit"
            bit = 9
            [[device.group]]
            name = "slow"
            registers = "holding"
            [[device.group.tag]]
            name = "energy"
            address = 10
            type = "uint64"
            order = "HGFEDCBA"
            [[device.group.tag]]
            name = "recipe"
            address = 20
            type = "string"
            length = 3
            order = "BA"
            [[device.group.tag]]
            name = "walk"
            address = 30
            type = "int16"
            """;
        ConfigLoadResult loaded = ConfigLoader.Parse(Encoding.UTF8.GetBytes(Toml), "sim.toml", "/");
        Assert.True(loaded.IsValid, string.Join('\n', loaded.Errors));
        PollGroupConfig fast = loaded.Config.Devices[0].Groups[0];
        PollGroupConfig slow = loaded.Config.Devices[0].Groups[1];

        SimulatorRegisterMap map = SimulatorMapping.RegisterMap(loaded.Config, seed: 5);

        Assert.Equal(["speed", "alarm_a", "alarm_b"], map.TagsIn(ReadFunction.ReadInputRegisters).Select(tag => tag.Name));
        Assert.Equal(["energy", "recipe", "walk"], map.TagsIn(ReadFunction.ReadHoldingRegisters).Select(tag => tag.Name));
        byte[] wire = new byte[250];
        for (long step = 0; step < 400; step += 13)
        {
            map.Read(ReadFunction.ReadInputRegisters, 10, 3, step, wire);
            AssertDecodedAsServed(map, ReadFunction.ReadInputRegisters, fast, 10, wire.AsSpan(0, 6), step);

            map.Read(ReadFunction.ReadHoldingRegisters, 10, 21, step, wire);
            AssertDecodedAsServed(map, ReadFunction.ReadHoldingRegisters, slow, 10, wire.AsSpan(0, 42), step);
        }
    }

    /// <summary>The parser, configured with the group's tags as the data path configures it, reads what the simulator serves.</summary>
    private static void AssertDecodedAsServed(SimulatorRegisterMap map, ReadFunction area, PollGroupConfig group, ushort address, ReadOnlySpan<byte> registers, long step)
    {
        object?[] values = ParserDecoding.Values(SandboxOptionsMapping.Tags(group.Tags), area, address, registers);
        for (int i = 0; i < group.Tags.Count; i++)
        {
            SimulatedTag served = map.Find(area, group.Tags[i].Name)!;
            object expected = served.Type == SimulatedValueType.String ? served.TextAt(step) : served.ScaledValueAt(step);
            Assert.Equal(expected, values[i]);
        }
    }
}
