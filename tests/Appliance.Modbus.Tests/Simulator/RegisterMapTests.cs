using System.Buffers.Binary;
using Appliance.Config;
using Appliance.Modbus.Simulator;
using Appliance.Modbus.Tests.Support;

namespace Appliance.Modbus.Tests.Simulator;

/// <summary>The simulated registers: tags placed by type and byte order, read as one snapshot of one step.</summary>
public sealed class RegisterMapTests
{
    private static readonly SimulatorRegisterMap Default = SimulatorRegisterMap.CreateDefault();

    [Theory]
    [InlineData(TagType.Int16, "AB", -2.0, "FFFE")]
    [InlineData(TagType.Int16, "BA", 0x1234, "3412")]
    [InlineData(TagType.UInt16, "AB", 0xBEEF, "BEEF")]
    [InlineData(TagType.Int32, "ABCD", 0x11223344, "11223344")]
    [InlineData(TagType.Int32, "CDAB", 0x11223344, "33441122")]
    [InlineData(TagType.Int32, "BADC", 0x11223344, "22114433")]
    [InlineData(TagType.Int32, "DCBA", 0x11223344, "44332211")]
    [InlineData(TagType.UInt32, "ABCD", 4_000_000_000.0, "EE6B2800")]
    [InlineData(TagType.Float32, "ABCD", 1.5, "3FC00000")]
    [InlineData(TagType.Float32, "CDAB", 1.5, "00003FC0")]
    [InlineData(TagType.Float32, "BADC", -2.0, "00C00000")]
    [InlineData(TagType.Float32, "DCBA", 1.5, "0000C03F")]
    [InlineData(TagType.Int64, "ABCDEFGH", 0x0011223344556677, "0011223344556677")]
    [InlineData(TagType.Int64, "GHEFCDAB", 0x0011223344556677, "6677445522330011")]
    [InlineData(TagType.Int64, "BADCFEHG", 0x0011223344556677, "1100332255447766")]
    [InlineData(TagType.Int64, "HGFEDCBA", 0x0011223344556677, "7766554433221100")]
    [InlineData(TagType.UInt64, "ABCDEFGH", 0x0011223344556677, "0011223344556677")]
    [InlineData(TagType.Float64, "ABCDEFGH", 1.0, "3FF0000000000000")]
    [InlineData(TagType.Float64, "HGFEDCBA", 1.0, "000000000000F03F")]
    public void AValueIsPlacedOnTheWireInItsByteOrder(TagType type, string order, double value, string expectedHex)
    {
        var tag = new SimulatedTag(new TagConfig("v", 0, type, order, 0, 1, 1, 0, string.Empty), RegisterArea.Holding, Constant(value));
        byte[] wire = new byte[tag.RegisterCount * 2];

        tag.WriteRegisters(0, wire);

        Assert.Equal(expectedHex, Convert.ToHexString(wire));
        Assert.Equal(value, WireDecoding.Decode(tag.Tag, wire));
    }

    [Theory]
    [InlineData(TagType.Int16, 40_000.4, 32_767)]
    [InlineData(TagType.Int16, -1.6, -2)]
    [InlineData(TagType.UInt16, -5, 0)]
    [InlineData(TagType.Int32, 2.5, 2)]
    [InlineData(TagType.UInt64, 1e17, 9_007_199_254_740_992)]
    [InlineData(TagType.Float32, 0.1, 0.100000001490116119384765625)]
    [InlineData(TagType.Bit, 0.49, 0)]
    [InlineData(TagType.Bit, 0.5, 1)]
    public void TheRawValueIsMadeExactForTheType(TagType type, double waveform, double expected)
    {
        var tag = new SimulatedTag(new TagConfig("v", 0, type, string.Empty, 0, 1, 1, 0, string.Empty), RegisterArea.Holding, Constant(waveform));

        Assert.Equal(expected, tag.ValueAt(0));
    }

    [Fact]
    public void ThePublishedValueIsTheRawValueTimesScalePlusOffset()
    {
        var tag = new SimulatedTag(new TagConfig("p", 2, TagType.Int16, "AB", 0, 1, 0.01, 1.0, "bar"), RegisterArea.Holding, Constant(250));

        Assert.Equal(250, tag.ValueAt(9));
        Assert.Equal(3.5, tag.ScaledValueAt(9), 12);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("ABC")]
    [InlineData("ABCA")]
    [InlineData("ABCE")]
    public void AByteOrderThatIsNotAPermutationOfTheValuesBytesIsRefused(string? order)
    {
        if (order is null)
        {
            Assert.Equal("ABCD", new SimulatedTag(new TagConfig("v", 0, TagType.Int32, string.Empty, 0, 1, 1, 0, string.Empty), RegisterArea.Holding, Constant(1)).Order);
            return;
        }

        Assert.Throws<ArgumentException>(() => new SimulatedTag(new TagConfig("v", 0, TagType.Int32, order, 0, 1, 1, 0, string.Empty), RegisterArea.Holding, Constant(1)));
    }

    [Fact]
    public void TheDefaultMapServesTheTagsOfTheExampleConfigurationWhereItSaysTheyAre()
    {
        ConfigLoadResult loaded = ConfigLoader.Parse(ExampleConfig.Utf8, "ExampleConfig.toml", "/");
        Assert.True(loaded.IsValid);
        PollGroupConfig group = Assert.Single(Assert.Single(loaded.Config.Devices).Groups);

        foreach (TagConfig tag in group.Tags)
        {
            SimulatedTag? simulated = Default.Find(group.Area, tag.Name);
            Assert.NotNull(simulated);
            Assert.Equal((tag.Address, tag.Type, tag.Bit, tag.RegisterCount), (simulated.Address, simulated.Tag.Type, simulated.Tag.Bit, simulated.RegisterCount));
            if (tag.Type != TagType.Bit)
            {
                Assert.Equal(tag.Order, simulated.Order);
            }
        }

        Assert.Equal(0.01, Default.Find(RegisterArea.Holding, "pressure")!.Tag.Scale);
    }

    [Theory]
    [InlineData(RegisterArea.Holding, "counter", 100, 2, new[] { "abcd", "cdab", "badc", "dcba" })]
    [InlineData(RegisterArea.Holding, "level", 108, 2, new[] { "abcd", "cdab", "badc", "dcba" })]
    [InlineData(RegisterArea.Holding, "total", 120, 4, new[] { "abcdefgh", "ghefcdab", "badcfehg", "hgfedcba" })]
    [InlineData(RegisterArea.Holding, "flow", 136, 4, new[] { "abcdefgh", "ghefcdab", "badcfehg", "hgfedcba" })]
    [InlineData(RegisterArea.Input, "counter", 100, 2, new[] { "abcd", "cdab", "badc", "dcba" })]
    [InlineData(RegisterArea.Input, "flow", 136, 4, new[] { "abcdefgh", "ghefcdab", "badcfehg", "hgfedcba" })]
    public void EveryWordOrderOfTheDefaultBlockDecodesToTheSameValueAtEveryStep(RegisterArea area, string name, int first, int registers, string[] orders)
    {
        byte[] wire = new byte[orders.Length * registers * 2];
        for (long step = 0; step < 3000; step += 37)
        {
            Default.Read(area, first, orders.Length * registers, step, wire);
            for (int i = 0; i < orders.Length; i++)
            {
                SimulatedTag tag = Default.Find(area, $"{name}_{orders[i]}")!;
                Assert.Equal(first + (i * registers), tag.Address);
                double decoded = WireDecoding.Decode(tag.Tag, wire.AsSpan(i * registers * 2));
                Assert.Equal(tag.ValueAt(step), decoded);
            }
        }
    }

    [Fact]
    public void SixteenBitTagsShareOneRegisterWhichCountsTheSteps()
    {
        byte[] wire = new byte[2];
        foreach (long step in (long[])[0, 1, 2, 3, 100, 65_535, 65_536, 1_000_000])
        {
            Default.Read(RegisterArea.Holding, 118, 1, step, wire);

            Assert.Equal((step + SimulatorRegisterMap.HoldingPhase) % 65_536, BinaryPrimitives.ReadUInt16BigEndian(wire));
            for (int bit = 0; bit < 16; bit++)
            {
                SimulatedTag tag = Default.Find(RegisterArea.Holding, $"bit{bit}")!;
                Assert.Equal(tag.ValueAt(step), WireDecoding.Decode(tag.Tag, wire));
            }
        }
    }

    [Fact]
    public void TheInputRegistersHaveTheSameLayoutButOtherValues()
    {
        byte[] holding = new byte[20];
        byte[] input = new byte[20];

        Default.Read(RegisterArea.Holding, 100, 10, 5, holding);
        Default.Read(RegisterArea.Input, 100, 10, 5, input);

        Assert.NotEqual(holding, input);
        Assert.Equal(Default.TagsIn(RegisterArea.Holding).Select(tag => (tag.Name, tag.Address)), Default.TagsIn(RegisterArea.Input).Select(tag => (tag.Name, tag.Address)));
    }

    [Fact]
    public void TheBatchTextCountsInItsRegistersTwoAsciiCharactersEach()
    {
        SimulatedTag batch = Default.Find(RegisterArea.Holding, "batch")!;
        byte[] wire = new byte[8];

        Default.Read(RegisterArea.Holding, 4, 4, 500, wire);

        string expected = "B" + ((500 + SimulatorRegisterMap.HoldingPhase) / 50).ToString("D7", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, batch.TextAt(500));
        Assert.Equal(expected, WireDecoding.DecodeText(batch.Tag, wire));
    }

    [Fact]
    public void RegistersNoTagCoversReadZeroAndATagCutByTheReadGivesItsCoveredWords()
    {
        byte[] wire = new byte[8];
        byte[] whole = new byte[4];

        // Registers 99..102: nothing at 99, counter_abcd at 100-101, the first word of counter_cdab at 102.
        Default.Read(RegisterArea.Holding, 99, 4, 7, wire);
        Default.Read(RegisterArea.Holding, 102, 2, 7, whole);

        Assert.Equal([0, 0], wire[..2]);
        Assert.Equal(whole[..2], wire[6..8]);
        byte[] empty = new byte[250];
        Default.Read(RegisterArea.Holding, 1000, 125, 7, empty);
        Assert.All(empty, b => Assert.Equal(0, b));
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
        ConfigLoadResult loaded = ConfigLoader.Parse(System.Text.Encoding.UTF8.GetBytes(Toml), "sim.toml", "/");
        Assert.True(loaded.IsValid, string.Join('\n', loaded.Errors));

        SimulatorRegisterMap map = SimulatorRegisterMap.FromConfig(loaded.Config, seed: 5);

        Assert.Equal(["speed", "alarm_a", "alarm_b"], map.TagsIn(RegisterArea.Input).Select(tag => tag.Name));
        Assert.Equal(["energy", "recipe", "walk"], map.TagsIn(RegisterArea.Holding).Select(tag => tag.Name));
        byte[] wire = new byte[250];
        for (long step = 0; step < 400; step += 13)
        {
            map.Read(RegisterArea.Input, 10, 3, step, wire);
            foreach (SimulatedTag tag in map.TagsIn(RegisterArea.Input))
            {
                Assert.Equal(tag.ValueAt(step), WireDecoding.Decode(tag.Tag, wire.AsSpan((tag.Address - 10) * 2)));
            }

            map.Read(RegisterArea.Holding, 10, 21, step, wire);
            SimulatedTag energy = map.Find(RegisterArea.Holding, "energy")!;
            SimulatedTag recipe = map.Find(RegisterArea.Holding, "recipe")!;
            SimulatedTag walk = map.Find(RegisterArea.Holding, "walk")!;
            Assert.Equal(energy.ValueAt(step), WireDecoding.Decode(energy.Tag, wire));
            Assert.Equal(recipe.TextAt(step), WireDecoding.DecodeText(recipe.Tag, wire.AsSpan(20)));
            Assert.Equal(walk.ValueAt(step), WireDecoding.Decode(walk.Tag, wire.AsSpan(40)));
        }
    }

    private static RampWaveform Constant(double value) => new(value, value, 1);
}
