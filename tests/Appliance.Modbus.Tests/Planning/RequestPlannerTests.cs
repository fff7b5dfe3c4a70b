using System.Collections.Immutable;
using System.Globalization;

namespace Appliance.Modbus.Tests.Planning;

/// <summary>
/// Planning a poll group's reads. Rows write tags as <c>ADDRESS:TYPE</c> (bit, i16, u16, i32, f32, i64,
/// f64, sN = string of N registers; the type gives the number of registers), in the group's order, and
/// plans as <c>START+QUANTITY:TAG,TAG;...</c> with tags by their index in the group.
/// </summary>
public sealed class RequestPlannerTests
{
    [Theory]
    // The example configuration: one read for all four tags.
    [InlineData("0:f32 2:i16 3:bit 4:s4", 16, "0+8:0,1,2,3")]
    // Max gap 0: touching tags join, a single unused register splits.
    [InlineData("0:i16 1:i16 2:i16", 0, "0+3:0,1,2")]
    [InlineData("0:i16 2:i16", 0, "0+1:0;2+1:1")]
    [InlineData("0:i32 2:f32 4:i64 8:bit", 0, "0+9:0,1,2,3")]
    // The gap is the run of unused registers between one tag's end and the next tag's start.
    [InlineData("0:i16 5:i16", 4, "0+6:0,1")]
    [InlineData("0:i16 5:i16", 3, "0+1:0;5+1:1")]
    [InlineData("0:i32 6:i16", 4, "0+7:0,1")]
    [InlineData("0:i32 7:i16", 4, "0+2:0;7+1:1")]
    // Tags are taken in address order, whatever the file's order; equal addresses keep the file's order.
    [InlineData("10:i16 0:i16 5:i16", 16, "0+11:1,2,0")]
    [InlineData("5:i32 5:i16", 16, "5+2:0,1")]
    // At most 125 registers per read.
    [InlineData("0:i32 123:i16", 123, "0+124:0,1")]
    [InlineData("0:i32 123:i32", 123, "0+125:0,1")]
    [InlineData("0:i32 124:i32", 123, "0+2:0;124+2:1")]
    [InlineData("0:i16 124:i16", 123, "0+125:0,1")]
    // A 125-register text tag fills a read on its own; nothing else fits beside it unless it overlaps.
    [InlineData("0:s125", 0, "0+125:0")]
    [InlineData("0:s125 125:i16", 16, "0+125:0;125+1:1")]
    [InlineData("10:i16 11:s125", 16, "10+1:0;11+125:1")]
    [InlineData("0:s125 5:i16 124:bit", 16, "0+125:0,1,2")]
    // A tag is never split: one that would cross the 125-register limit starts the next read.
    [InlineData("0:s100 100:s30", 16, "0+100:0;100+30:1")]
    [InlineData("0:s120 118:i64", 16, "0+122:0,1")]
    [InlineData("0:s120 122:i64", 16, "0+120:0;122+4:1")]
    // The last registers of the address space.
    [InlineData("65535:i16", 0, "65535+1:0")]
    [InlineData("65532:i64", 0, "65532+4:0")]
    [InlineData("65530:i16 65535:bit", 16, "65530+6:0,1")]
    [InlineData("65411:s125", 0, "65411+125:0")]
    [InlineData("0:i16 65535:u16", 123, "0+1:0;65535+1:1")]
    // Many bit tags in one register: one read of that register.
    [InlineData("3:bit 3:bit 3:bit 3:bit 3:bit", 0, "3+1:0,1,2,3,4")]
    [InlineData("3:bit 3:bit 4:bit 3:bit", 0, "3+2:0,1,3,2")]
    // Overlapping tags are fine and share the read; the read spans the longest.
    [InlineData("0:i32 1:i16", 0, "0+2:0,1")]
    [InlineData("0:i32 1:i32", 0, "0+3:0,1")]
    [InlineData("0:s10 2:i32 4:f64", 0, "0+10:0,1,2")]
    [InlineData("0:i64 1:i16 2:i16 3:i16", 0, "0+4:0,1,2,3")]
    public void TagsAreCoalescedIntoTheFewestReadsTheRulesAllow(string tags, int maxGap, string expected)
    {
        RegisterSpan[] spans = Spans(tags);

        ImmutableArray<PlannedRead> plan = RequestPlanner.Plan(spans, 1, ReadFunction.ReadHoldingRegisters, maxGap);

        Assert.Equal(expected, Describe(plan));
    }

    [Fact]
    public void OneHundredThirtyTouchingRegistersNeedTwoReadsOf125And5()
    {
        RegisterSpan[] spans = Spans(string.Join(' ', Enumerable.Range(0, 130).Select(i => $"{i}:u16")));

        ImmutableArray<PlannedRead> plan = RequestPlanner.Plan(spans, 1, ReadFunction.ReadHoldingRegisters, 0);

        Assert.Equal(2, plan.Length);
        Assert.Equal((0, 125), (plan[0].Request.Address, plan[0].Request.Quantity));
        Assert.Equal(Enumerable.Range(0, 125), plan[0].TagIndexes);
        Assert.Equal((125, 5), (plan[1].Request.Address, plan[1].Request.Quantity));
        Assert.Equal(Enumerable.Range(125, 5), plan[1].TagIndexes);
    }

    [Theory]
    [InlineData(ReadFunction.ReadHoldingRegisters)]
    [InlineData(ReadFunction.ReadInputRegisters)]
    public void EveryReadUsesTheGivenFunctionUnitIdAndMaxGap(ReadFunction function)
    {
        ImmutableArray<PlannedRead> plan = RequestPlanner.Plan(Spans("0:i16 10:i16 40:i16"), 17, function, 9);

        Assert.Equal("0+11:0,1;40+1:2", Describe(plan));
        Assert.All(plan, read => Assert.Equal((17, function), (read.Request.UnitId, read.Request.Function)));
    }

    [Fact]
    public void ATagsRegisterOffsetIsCountedFromTheReadsFirstRegister()
    {
        RegisterSpan[] spans = Spans("100:f32 104:i16 103:bit");

        PlannedRead read = Assert.Single(RequestPlanner.Plan(spans, 1, ReadFunction.ReadHoldingRegisters, 16));

        Assert.Equal([0, 2, 1], read.TagIndexes.Select(index => index));
        Assert.Equal(0, read.RegisterOffsetOf(spans[0]));
        Assert.Equal(4, read.RegisterOffsetOf(spans[1]));
        Assert.Equal(3, read.RegisterOffsetOf(spans[2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => read.RegisterOffsetOf(Span(105, "i16")));
    }

    [Fact]
    public void ANegativeMaxGapIsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RequestPlanner.Plan(Spans("0:i16"), 1, ReadFunction.ReadHoldingRegisters, -1));
    }

    [Fact]
    public void OnlyTheTwoReadFunctionsArePlanned()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RequestPlanner.Plan(Spans("0:i16"), 1, (ReadFunction)0x06, 16));
    }

    [Theory]
    [InlineData(-1, 1)]
    [InlineData(0, 0)]
    [InlineData(0, 126)]
    [InlineData(65_535, 2)]
    public void ATagThatOneRequestCannotReadIsRefusedByItsIndex(int address, int count)
    {
        ArgumentException refused = Assert.Throws<ArgumentException>(() =>
            RequestPlanner.Plan([new RegisterSpan(0, 1), new RegisterSpan(address, count)], 1, ReadFunction.ReadHoldingRegisters, 16));

        Assert.StartsWith($"tag 1 (address {address}, {count} registers)", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoTagsPlanNoReads()
    {
        Assert.Empty(RequestPlanner.Plan([], 1, ReadFunction.ReadInputRegisters, 0));
    }

    /// <summary>
    /// Seeded random groups, checked against the rules rather than against a second planner: every tag
    /// in exactly one read and wholly inside it; reads of 1..125 registers; inside a read, each tag
    /// (in address order) starts at most max gap after the registers before it end; and a read ends only
    /// where the next tag could not join it.
    /// </summary>
    [Fact]
    public void RandomGroupsAlwaysFollowEveryPlanningRule()
    {
        var random = new Random(20_260_101);
        string[] types = ["bit", "i16", "u16", "i32", "f32", "i64", "f64", "s1", "s7", "s40", "s125"];
        for (int trial = 0; trial < 2_000; trial++)
        {
            int count = random.Next(1, 40);
            int spread = random.Next(1, 600);
            int baseAddress = random.Next(0, 2) == 0 ? 0 : 65_536 - 130 - spread;
            var specs = new List<string>();
            for (int i = 0; i < count; i++)
            {
                string type = types[random.Next(types.Length)];
                specs.Add($"{baseAddress + random.Next(spread)}:{type}");
            }

            int maxGap = random.Next(0, 124);
            RegisterSpan[] spans = Spans(string.Join(' ', specs));

            ImmutableArray<PlannedRead> plan = RequestPlanner.Plan(spans, 1, ReadFunction.ReadHoldingRegisters, maxGap);

            CheckRules(spans, maxGap, plan, string.Join(' ', specs));
        }
    }

    private static void CheckRules(RegisterSpan[] tags, int maxGap, ImmutableArray<PlannedRead> plan, string spec)
    {
        Assert.Equal(Enumerable.Range(0, tags.Length), plan.SelectMany(read => read.TagIndexes).Order());
        for (int r = 0; r < plan.Length; r++)
        {
            ReadRequest request = plan[r].Request;
            Assert.InRange(request.Quantity, 1, 125);
            int start = request.Address;
            int end = start;
            foreach (int index in plan[r].TagIndexes)
            {
                RegisterSpan tag = tags[index];
                Assert.True(tag.Address >= start && tag.End <= start + request.Quantity, $"{spec}: tag {index} outside read {r}");
                if (end > start)
                {
                    Assert.True(tag.Address - end <= maxGap, $"{spec}: gap before tag {index} exceeds {maxGap}");
                }

                end = Math.Max(end, tag.End);
            }

            Assert.Equal(start + request.Quantity, end);
            if (r + 1 < plan.Length)
            {
                RegisterSpan next = tags[plan[r + 1].TagIndexes[0]];
                bool couldJoin = next.Address - end <= maxGap && Math.Max(end, next.End) - start <= 125;
                Assert.False(couldJoin, $"{spec}: read {r} ends although tag {plan[r + 1].TagIndexes[0]} could join it");
                Assert.True(plan[r + 1].Request.Address >= start, $"{spec}: reads out of address order");
            }
        }
    }

    private static RegisterSpan[] Spans(string tags) =>
        [.. tags.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(spec =>
        {
            string[] parts = spec.Split(':');
            return Span(int.Parse(parts[0], CultureInfo.InvariantCulture), parts[1]);
        })];

    private static RegisterSpan Span(int address, string type) => new(address, type switch
    {
        "bit" or "i16" or "u16" => 1,
        "i32" or "f32" => 2,
        "i64" or "f64" => 4,
        _ => int.Parse(type[1..], CultureInfo.InvariantCulture),
    });

    private static string Describe(ImmutableArray<PlannedRead> plan) =>
        string.Join(';', plan.Select(read => $"{read.Request.Address}+{read.Request.Quantity}:{string.Join(',', read.TagIndexes)}"));
}
