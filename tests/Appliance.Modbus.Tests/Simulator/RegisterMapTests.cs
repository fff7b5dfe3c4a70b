using System.Buffers.Binary;
using Appliance.Modbus.Simulator;
using Appliance.Modbus.Tests.Support;

namespace Appliance.Modbus.Tests.Simulator;

/// <summary>The simulated registers: tags placed by type and byte order, read as one snapshot of one step.</summary>
public sealed class RegisterMapTests
{
    private static readonly SimulatorRegisterMap Default = SimulatorRegisterMap.CreateDefault();

    [Theory]
    [InlineData(SimulatedValueType.Int16, SimulatedByteOrder.BigEndian, "AB", -2.0, "FFFE")]
    [InlineData(SimulatedValueType.Int16, SimulatedByteOrder.ByteSwapped, "BA", 0x1234, "3412")]
    [InlineData(SimulatedValueType.UInt16, SimulatedByteOrder.BigEndian, "AB", 0xBEEF, "BEEF")]
    [InlineData(SimulatedValueType.Int32, SimulatedByteOrder.BigEndian, "ABCD", 0x11223344, "11223344")]
    [InlineData(SimulatedValueType.Int32, SimulatedByteOrder.WordSwapped, "CDAB", 0x11223344, "33441122")]
    [InlineData(SimulatedValueType.Int32, SimulatedByteOrder.ByteSwapped, "BADC", 0x11223344, "22114433")]
    [InlineData(SimulatedValueType.Int32, SimulatedByteOrder.LittleEndian, "DCBA", 0x11223344, "44332211")]
    [InlineData(SimulatedValueType.UInt32, SimulatedByteOrder.BigEndian, "ABCD", 4_000_000_000.0, "EE6B2800")]
    [InlineData(SimulatedValueType.Float32, SimulatedByteOrder.BigEndian, "ABCD", 1.5, "3FC00000")]
    [InlineData(SimulatedValueType.Float32, SimulatedByteOrder.WordSwapped, "CDAB", 1.5, "00003FC0")]
    [InlineData(SimulatedValueType.Float32, SimulatedByteOrder.ByteSwapped, "BADC", -2.0, "00C00000")]
    [InlineData(SimulatedValueType.Float32, SimulatedByteOrder.LittleEndian, "DCBA", 1.5, "0000C03F")]
    [InlineData(SimulatedValueType.Int64, SimulatedByteOrder.BigEndian, "ABCDEFGH", 0x0011223344556677, "0011223344556677")]
    [InlineData(SimulatedValueType.Int64, SimulatedByteOrder.WordSwapped, "GHEFCDAB", 0x0011223344556677, "6677445522330011")]
    [InlineData(SimulatedValueType.Int64, SimulatedByteOrder.ByteSwapped, "BADCFEHG", 0x0011223344556677, "1100332255447766")]
    [InlineData(SimulatedValueType.Int64, SimulatedByteOrder.LittleEndian, "HGFEDCBA", 0x0011223344556677, "7766554433221100")]
    [InlineData(SimulatedValueType.UInt64, SimulatedByteOrder.BigEndian, "ABCDEFGH", 0x0011223344556677, "0011223344556677")]
    [InlineData(SimulatedValueType.Float64, SimulatedByteOrder.BigEndian, "ABCDEFGH", 1.0, "3FF0000000000000")]
    [InlineData(SimulatedValueType.Float64, SimulatedByteOrder.LittleEndian, "HGFEDCBA", 1.0, "000000000000F03F")]
    public void AValueIsPlacedOnTheWireInItsByteOrder(SimulatedValueType type, SimulatedByteOrder order, string letters, double value, string expectedHex)
    {
        var tag = new SimulatedTag("v", ReadFunction.ReadHoldingRegisters, 0, type, Constant(value), order);
        byte[] wire = new byte[tag.RegisterCount * 2];

        tag.WriteRegisters(0, wire);

        Assert.Equal(expectedHex, Convert.ToHexString(wire));
        Assert.Equal(letters, tag.OrderName);
        Assert.Equal(value, WireDecoding.Decode(tag, wire));
    }

    [Theory]
    [InlineData(SimulatedByteOrder.BigEndian, "T00000000042")]
    [InlineData(SimulatedByteOrder.ByteSwapped, "0T0000000024")]
    public void AStringsOrderSwapsTheTwoCharactersOfEachRegister(SimulatedByteOrder order, string expected)
    {
        var tag = new SimulatedTag("text", ReadFunction.ReadHoldingRegisters, 0, SimulatedValueType.String, Constant(42), order, length: 6);
        byte[] wire = new byte[12];

        tag.WriteRegisters(0, wire);

        Assert.Equal(expected, System.Text.Encoding.ASCII.GetString(wire));
        Assert.Equal(tag.TextAt(0), WireDecoding.DecodeText(tag, wire));
    }

    [Theory]
    [InlineData(SimulatedValueType.Int16, 40_000.4, 32_767)]
    [InlineData(SimulatedValueType.Int16, -1.6, -2)]
    [InlineData(SimulatedValueType.UInt16, -5, 0)]
    [InlineData(SimulatedValueType.Int32, 2.5, 2)]
    [InlineData(SimulatedValueType.UInt64, 1e17, 9_007_199_254_740_992)]
    [InlineData(SimulatedValueType.Float32, 0.1, 0.100000001490116119384765625)]
    [InlineData(SimulatedValueType.Bit, 0.49, 0)]
    [InlineData(SimulatedValueType.Bit, 0.5, 1)]
    public void TheRawValueIsMadeExactForTheType(SimulatedValueType type, double waveform, double expected)
    {
        var tag = new SimulatedTag("v", ReadFunction.ReadHoldingRegisters, 0, type, Constant(waveform));

        Assert.Equal(expected, tag.ValueAt(0));
    }

    [Fact]
    public void ThePublishedValueIsTheRawValueTimesScalePlusOffset()
    {
        var tag = new SimulatedTag("p", ReadFunction.ReadHoldingRegisters, 2, SimulatedValueType.Int16, Constant(250), scale: 0.01, offset: 1.0);

        Assert.Equal(250, tag.ValueAt(9));
        Assert.Equal(3.5, tag.ScaledValueAt(9), 12);
    }

    [Fact]
    public void WithoutAnOrderAValueIsBigEndian()
    {
        var tag = new SimulatedTag("v", ReadFunction.ReadHoldingRegisters, 0, SimulatedValueType.Int32, Constant(1));

        Assert.Equal((SimulatedByteOrder.BigEndian, "ABCD"), (tag.Order, tag.OrderName));
    }

    [Fact]
    public void ATagTheSimulatorCannotServeIsRefused()
    {
        RampWaveform one = Constant(1);
        const ReadFunction Holding = ReadFunction.ReadHoldingRegisters;

        Assert.Throws<ArgumentOutOfRangeException>(() => new SimulatedTag("v", Holding, 0, SimulatedValueType.Int32, one, (SimulatedByteOrder)4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SimulatedTag("v", Holding, 0, (SimulatedValueType)10, one));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SimulatedTag("v", (ReadFunction)0x06, 0, SimulatedValueType.Int16, one));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SimulatedTag("v", Holding, 65_535, SimulatedValueType.Int32, one));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SimulatedTag("v", Holding, -1, SimulatedValueType.Int16, one));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SimulatedTag("v", Holding, 0, SimulatedValueType.String, one, length: 126));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SimulatedTag("v", Holding, 0, SimulatedValueType.Bit, one, bit: 16));
    }

    [Theory]
    [InlineData(ReadFunction.ReadHoldingRegisters, "counter", 100, 2, new[] { "abcd", "cdab", "badc", "dcba" })]
    [InlineData(ReadFunction.ReadHoldingRegisters, "level", 108, 2, new[] { "abcd", "cdab", "badc", "dcba" })]
    [InlineData(ReadFunction.ReadHoldingRegisters, "total", 120, 4, new[] { "abcdefgh", "ghefcdab", "badcfehg", "hgfedcba" })]
    [InlineData(ReadFunction.ReadHoldingRegisters, "flow", 136, 4, new[] { "abcdefgh", "ghefcdab", "badcfehg", "hgfedcba" })]
    [InlineData(ReadFunction.ReadInputRegisters, "counter", 100, 2, new[] { "abcd", "cdab", "badc", "dcba" })]
    [InlineData(ReadFunction.ReadInputRegisters, "flow", 136, 4, new[] { "abcdefgh", "ghefcdab", "badcfehg", "hgfedcba" })]
    public void EveryWordOrderOfTheDefaultBlockDecodesToTheSameValueAtEveryStep(ReadFunction area, string name, int first, int registers, string[] orders)
    {
        byte[] wire = new byte[orders.Length * registers * 2];
        for (long step = 0; step < 3000; step += 37)
        {
            Default.Read(area, first, orders.Length * registers, step, wire);
            for (int i = 0; i < orders.Length; i++)
            {
                SimulatedTag tag = Default.Find(area, $"{name}_{orders[i]}")!;
                Assert.Equal(first + (i * registers), tag.Address);
                double decoded = WireDecoding.Decode(tag, wire.AsSpan(i * registers * 2));
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
            Default.Read(ReadFunction.ReadHoldingRegisters, 118, 1, step, wire);

            Assert.Equal((step + SimulatorRegisterMap.HoldingPhase) % 65_536, BinaryPrimitives.ReadUInt16BigEndian(wire));
            for (int bit = 0; bit < 16; bit++)
            {
                SimulatedTag tag = Default.Find(ReadFunction.ReadHoldingRegisters, $"bit{bit}")!;
                Assert.Equal(tag.ValueAt(step), WireDecoding.Decode(tag, wire));
            }
        }
    }

    [Fact]
    public void TheInputRegistersHaveTheSameLayoutButOtherValues()
    {
        byte[] holding = new byte[20];
        byte[] input = new byte[20];

        Default.Read(ReadFunction.ReadHoldingRegisters, 100, 10, 5, holding);
        Default.Read(ReadFunction.ReadInputRegisters, 100, 10, 5, input);

        Assert.NotEqual(holding, input);
        Assert.Equal(Default.TagsIn(ReadFunction.ReadHoldingRegisters).Select(tag => (tag.Name, tag.Address)), Default.TagsIn(ReadFunction.ReadInputRegisters).Select(tag => (tag.Name, tag.Address)));
    }

    [Fact]
    public void TheBatchTextCountsInItsRegistersTwoAsciiCharactersEach()
    {
        SimulatedTag batch = Default.Find(ReadFunction.ReadHoldingRegisters, "batch")!;
        byte[] wire = new byte[8];

        Default.Read(ReadFunction.ReadHoldingRegisters, 4, 4, 500, wire);

        string expected = "B" + ((500 + SimulatorRegisterMap.HoldingPhase) / 50).ToString("D7", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, batch.TextAt(500));
        Assert.Equal(expected, WireDecoding.DecodeText(batch, wire));
    }

    [Fact]
    public void RegistersNoTagCoversReadZeroAndATagCutByTheReadGivesItsCoveredWords()
    {
        byte[] wire = new byte[8];
        byte[] whole = new byte[4];

        // Registers 99..102: nothing at 99, counter_abcd at 100-101, the first word of counter_cdab at 102.
        Default.Read(ReadFunction.ReadHoldingRegisters, 99, 4, 7, wire);
        Default.Read(ReadFunction.ReadHoldingRegisters, 102, 2, 7, whole);

        Assert.Equal([0, 0], wire[..2]);
        Assert.Equal(whole[..2], wire[6..8]);
        byte[] empty = new byte[250];
        Default.Read(ReadFunction.ReadHoldingRegisters, 1000, 125, 7, empty);
        Assert.All(empty, b => Assert.Equal(0, b));
    }

    private static RampWaveform Constant(double value) => new(value, value, 1);
}
