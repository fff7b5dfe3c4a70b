using Appliance.Sandbox.Voting;

namespace Appliance.Sandbox.Tests;

/// <summary>The fault generator: a chosen lane gets every fault, and choosing one does not change which frames get faults.</summary>
public sealed class FaultInjectorTests
{
    [Fact]
    public void AChosenLaneGetsEveryFaultOnTheSameFramesAsWithoutAChoice()
    {
        var options = new FaultInjectionOptions(BitFlipRate: 0.1, TrapRate: 0.1, Seed: 42) { CorruptRate = 0.1 };
        var random = new FaultInjector(options);
        var chosen = new FaultInjector(options with { Lane = () => 2 });
        int faults = 0;
        for (int frame = 0; frame < 2_000; frame++)
        {
            FaultKind expected = random.Next(3, 1024, out _, out long expectedBit);
            FaultKind kind = chosen.Next(3, 1024, out int instance, out long bit);
            Assert.Equal(expected, kind);
            Assert.Equal(expectedBit, bit);
            Assert.Equal(2, instance);
            faults += kind == FaultKind.None ? 0 : 1;
        }

        Assert.InRange(faults, 400, 800); // about 30 % of 2,000
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3)]
    public void ALaneOutsideTheLayoutMeansARandomOne(int lane)
    {
        var options = new FaultInjectionOptions(BitFlipRate: 0, TrapRate: 1, Seed: 7);
        var random = new FaultInjector(options);
        var chosen = new FaultInjector(options with { Lane = () => lane });
        var seen = new HashSet<int>();
        for (int frame = 0; frame < 200; frame++)
        {
            random.Next(3, 0, out int expected, out _);
            chosen.Next(3, 0, out int instance, out _);
            Assert.Equal(expected, instance);
            seen.Add(instance);
        }

        Assert.Equal(3, seen.Count);
    }
}
