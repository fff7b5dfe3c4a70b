using Appliance.Config;
using Appliance.Gateway.Composition;
using Appliance.Sandbox.Parsing;
using Appliance.Sandbox.Voting;

namespace Appliance.Gateway.Tests.Composition;

/// <summary>The <c>[tmr]</c> section and the configured tags as the sandbox's own options.</summary>
public sealed class SandboxOptionsMappingTests
{
    [Theory]
    [InlineData("2oo3", TmrMode.TwoOutOfThree, VotingMode.TwoOutOfThree, 3)]
    [InlineData("1oo2", TmrMode.OneOutOfTwo, VotingMode.OneOutOfTwo, 2)]
    [InlineData("1oo1", TmrMode.OneOutOfOne, VotingMode.OneOutOfOne, 1)]
    public void EachVotingModeOfTheFileRunsItsNumberOfInstances(string written, TmrMode bound, VotingMode mode, int instances)
    {
        ApplianceConfig config = Configs.Example(("mode = \"2oo3\"", $"mode = \"{written}\""));

        Assert.Equal(bound, config.Tmr.Mode);
        Assert.Equal(mode, SandboxOptionsMapping.Mode(config.Tmr.Mode));
        Assert.Equal(instances, Voter.InstanceCount(SandboxOptionsMapping.Mode(config.Tmr.Mode)));
    }

    [Theory]
    [InlineData("2oo3", 3)]
    [InlineData("1oo2", 2)]
    [InlineData("1oo1", 1)]
    public async Task EveryGroupOfTheDataPathHasATripletOfTheConfiguredMode(string written, int instances)
    {
        await using var gateway = new TestGateway(1, edit: text => text.Replace("mode = \"2oo3\"", $"mode = \"{written}\"", StringComparison.Ordinal));

        Assert.Equal(instances, gateway.Path.Devices[0].Groups[0].VoterStatistics.Instances.Count);
    }

    [Fact]
    public void EveryConfiguredModeIsMapped()
    {
        Assert.All(Enum.GetValues<TmrMode>(), mode => Assert.True(Enum.IsDefined(SandboxOptionsMapping.Mode(mode))));
    }

    [Fact]
    public void TheLimitsAreTheTmrSection()
    {
        ApplianceConfig config = Configs.Example(
            ("fuel = 1_000_000", "fuel = 50_000"),
            ("memory_pages = 16", "memory_pages = 3"),
            ("stack_slots = 16_384", "stack_slots = 2048"),
            ("call_depth = 256", "call_depth = 40"));

        Assert.Equal(new SandboxLimits(Fuel: 50_000, MemoryPages: 3, StackSlots: 2048, CallDepth: 40), SandboxOptionsMapping.Limits(config.Tmr));
    }

    [Fact]
    public void FaultInjectionIsTheFaultInjectionSection()
    {
        ApplianceConfig config = Configs.Example(
            ("bit_flip_rate = 0.0", "bit_flip_rate = 0.25"),
            ("trap_rate = 0.0", "trap_rate = 0.125"),
            ("seed = 0", "seed = 77"));

        FaultInjectionOptions options = SandboxOptionsMapping.FaultInjection(config.Tmr.FaultInjection);

        Assert.Equal(new FaultInjectionOptions(0.25, 0.125, 77), options);
        Assert.True(options.Enabled);
        Assert.False(SandboxOptionsMapping.FaultInjection(Configs.Example().Tmr.FaultInjection).Enabled);
    }

    [Theory]
    [InlineData(ByteOrder.BigEndian, false, false)]
    [InlineData(ByteOrder.ByteSwapped, true, false)]
    [InlineData(ByteOrder.WordSwapped, false, true)]
    [InlineData(ByteOrder.LittleEndian, true, true)]
    public void EachByteOrderIsOneCombinationOfTheParsersSwapFlags(ByteOrder order, bool byteSwap, bool wordSwap)
    {
        Assert.Equal((byteSwap, wordSwap), SandboxOptionsMapping.Swaps(order));
    }

    [Fact]
    public void EveryByteOrderIsMappedAndNoTwoShareFlags()
    {
        ByteOrder[] orders = Enum.GetValues<ByteOrder>();

        Assert.Equal(orders.Length, orders.Select(SandboxOptionsMapping.Swaps).Distinct().Count());
    }

    [Theory]
    [InlineData("int16", "AB", false, false)]
    [InlineData("int16", "BA", true, false)]
    [InlineData("uint16", "AB", false, false)]
    [InlineData("uint16", "BA", true, false)]
    [InlineData("string", "AB", false, false)]
    [InlineData("string", "BA", true, false)]
    [InlineData("int32", "ABCD", false, false)]
    [InlineData("int32", "BADC", true, false)]
    [InlineData("int32", "CDAB", false, true)]
    [InlineData("int32", "DCBA", true, true)]
    [InlineData("float32", "ABCD", false, false)]
    [InlineData("float32", "BADC", true, false)]
    [InlineData("float32", "CDAB", false, true)]
    [InlineData("float32", "DCBA", true, true)]
    [InlineData("int64", "ABCDEFGH", false, false)]
    [InlineData("int64", "BADCFEHG", true, false)]
    [InlineData("int64", "GHEFCDAB", false, true)]
    [InlineData("int64", "HGFEDCBA", true, true)]
    [InlineData("float64", "ABCDEFGH", false, false)]
    [InlineData("float64", "BADCFEHG", true, false)]
    [InlineData("float64", "GHEFCDAB", false, true)]
    [InlineData("float64", "HGFEDCBA", true, true)]
    public void EveryOrderTheFileAcceptsReachesTheParserAsItsSwapFlags(string type, string order, bool byteSwap, bool wordSwap)
    {
        ParserTag tag = SandboxOptionsMapping.Tag(AcceptedOrders.OneTag(type, order));

        Assert.Equal((byteSwap, wordSwap), (tag.ByteSwap, tag.WordSwap));
    }

    [Theory]
    [InlineData(TagType.Bit, TagKind.Bit)]
    [InlineData(TagType.Int16, TagKind.Int16)]
    [InlineData(TagType.UInt16, TagKind.UInt16)]
    [InlineData(TagType.Int32, TagKind.Int32)]
    [InlineData(TagType.UInt32, TagKind.UInt32)]
    [InlineData(TagType.Int64, TagKind.Int64)]
    [InlineData(TagType.UInt64, TagKind.UInt64)]
    [InlineData(TagType.Float32, TagKind.Float32)]
    [InlineData(TagType.Float64, TagKind.Float64)]
    [InlineData(TagType.String, TagKind.Text)]
    public void EveryTagTypeHasOneParserKind(TagType type, TagKind kind)
    {
        Assert.Equal(kind, SandboxOptionsMapping.Kind(type));
    }

    [Fact]
    public void TheExampleGroupBecomesTheParsersTagMapInTheFilesOrder()
    {
        PollGroupConfig group = Configs.Example().Devices[0].Groups[0];

        ParserTag[] tags = SandboxOptionsMapping.Tags(group.Tags);

        Assert.Equal(
            [
                new ParserTag(0, TagKind.Float32, false, false, 0, 2, 1.0, 0.0),
                new ParserTag(2, TagKind.Int16, false, false, 0, 1, 0.01, 0.0),
                new ParserTag(3, TagKind.Bit, false, false, 0, 1, 1.0, 0.0),
                new ParserTag(4, TagKind.Text, false, false, 0, 4, 1.0, 0.0),
            ],
            tags);
    }
}
