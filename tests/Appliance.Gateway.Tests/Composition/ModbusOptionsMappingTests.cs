using System.Collections.Immutable;
using Appliance.Config;
using Appliance.Gateway.Composition;
using Appliance.Modbus;

namespace Appliance.Gateway.Tests.Composition;

/// <summary>A <c>[[device]]</c> section and its groups as the Modbus transport's options and the planner's input.</summary>
public sealed class ModbusOptionsMappingTests
{
    [Fact]
    public void TheTransportGetsTheDevicesHostPortTimeoutsAndBackoff()
    {
        ApplianceConfig config = Configs.Example(
            ("host = \"127.0.0.1\"", "host = \"plc.plant.example\""),
            ("port = 5020", "port = 1502"),
            ("connect_timeout = \"3s\"", "connect_timeout = \"2s\""),
            ("request_timeout = \"1s\"", "request_timeout = \"250ms\""),
            ("backoff_initial = \"500ms\"", "backoff_initial = \"100ms\""),
            ("backoff_max = \"30s\"", "backoff_max = \"5s\""),
            ("backoff_jitter = 0.2", "backoff_jitter = 0.5"));

        ModbusTransportOptions options = ModbusOptionsMapping.Transport(config.Devices[0]);

        Assert.Equal(
            new ModbusTransportOptions("plc-1", "plc.plant.example", 1502, TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(250),
                new BackoffOptions(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), 0.5)),
            options);
    }

    [Theory]
    [InlineData("holding", RegisterArea.Holding, ReadFunction.ReadHoldingRegisters, 0x03)]
    [InlineData("input", RegisterArea.Input, ReadFunction.ReadInputRegisters, 0x04)]
    public void EachRegisterAreaIsReadWithItsFunctionCode(string written, RegisterArea area, ReadFunction function, byte code)
    {
        ApplianceConfig config = Configs.Example(("registers = \"holding\"", $"registers = \"{written}\""));

        Assert.Equal(area, config.Devices[0].Groups[0].Area);
        Assert.Equal(function, ModbusOptionsMapping.Function(area));
        Assert.Equal(code, (byte)ModbusOptionsMapping.Function(area));
    }

    [Fact]
    public void EveryConfiguredAreaIsMapped()
    {
        Assert.All(Enum.GetValues<RegisterArea>(), area => Assert.True(Enum.IsDefined(ModbusOptionsMapping.Function(area))));
    }

    [Theory]
    [InlineData("holding", ReadFunction.ReadHoldingRegisters)]
    [InlineData("input", ReadFunction.ReadInputRegisters)]
    public void EveryReadUsesTheGroupsFunctionAndTheDevicesUnitIdAndMaxGap(string registers, ReadFunction function)
    {
        ApplianceConfig config = Configs.Example(
            ("unit_id = 1", "unit_id = 17"),
            ("max_gap = 16", "max_gap = 9"),
            ("registers = \"holding\"", $"registers = \"{registers}\""),
            ("address = 2\n", "address = 10\n"),
            ("address = 3\n", "address = 40\n"),
            ("address = 4\n", "address = 41\n"));
        ModbusDeviceConfig device = config.Devices[0];

        ImmutableArray<PlannedRead> plan = ModbusOptionsMapping.Plan(device, device.Groups[0]);

        // float32 at 0-1 and int16 at 10 (gap 8): one read; bit at 40 and string at 41-44: another.
        Assert.Equal("0+11:0,1;40+5:2,3", Describe(plan));
        Assert.All(plan, read => Assert.Equal(((byte)17, function), (read.Request.UnitId, read.Request.Function)));
    }

    [Fact]
    public void AddressesNumberedFromOneArePlannedAsProtocolAddresses()
    {
        ApplianceConfig config = Configs.Example(
            ("address_base = 0", "address_base = 1"),
            ("address = 4\n", "address = 5\n"), // last first: each edit must not catch the one before
            ("address = 3\n", "address = 4\n"),
            ("address = 2\n", "address = 3\n"),
            ("address = 0\n", "address = 1\n"));
        ModbusDeviceConfig device = config.Devices[0];

        Assert.Equal("0+8:0,1,2,3", Describe(ModbusOptionsMapping.Plan(device, device.Groups[0])));
    }

    [Fact]
    public void EachTagsSpanIsItsAddressAndRegisterCountInTheGroupsOrder()
    {
        PollGroupConfig group = Configs.Example().Devices[0].Groups[0];

        Assert.Equal([new(0, 2), new(2, 1), new(3, 1), new(4, 4)], ModbusOptionsMapping.Spans(group.Tags));
    }

    private static string Describe(ImmutableArray<PlannedRead> plan) =>
        string.Join(';', plan.Select(read => $"{read.Request.Address}+{read.Request.Quantity}:{string.Join(',', read.TagIndexes)}"));
}
