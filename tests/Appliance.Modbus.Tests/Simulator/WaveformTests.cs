using Appliance.Modbus.Simulator;

namespace Appliance.Modbus.Tests.Simulator;

/// <summary>Waveforms are pure functions of the step k: the value a client read can be checked afterwards.</summary>
public sealed class WaveformTests
{
    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(1, 10.0)]
    [InlineData(9, 90.0)]
    [InlineData(10, 0.0)]
    [InlineData(25, 50.0)]
    [InlineData(-1, 90.0)]
    public void ARampRisesInEqualStepsAndStartsAgainEachPeriod(long step, double expected)
    {
        Assert.Equal(expected, new RampWaveform(0, 100, 10).ValueAt(step), 9);
    }

    [Theory]
    [InlineData(0, 20.0)]
    [InlineData(25, 25.0)]
    [InlineData(50, 20.0)]
    [InlineData(75, 15.0)]
    [InlineData(100, 20.0)]
    public void ASineSwingsAroundItsCenterOnceAPeriod(long step, double expected)
    {
        Assert.Equal(expected, new SineWaveform(20, 5, 100).ValueAt(step), 9);
    }

    [Fact]
    public void ASquareWaveIsOnForTheFirstHalfOfEachPeriodAndAPhaseShiftsIt()
    {
        var square = new SquareWaveform(4);
        var shifted = new SquareWaveform(4, phase: 1);

        Assert.Equal([1, 1, 0, 0, 1, 1, 0, 0], Enumerable.Range(0, 8).Select(k => square.ValueAt(k)));
        Assert.Equal([1, 0, 0, 1, 1, 0, 0, 1], Enumerable.Range(0, 8).Select(k => shifted.ValueAt(k)));
    }

    [Fact]
    public void ARandomWalkGivesTheSameValueForAStepWhateverWasAskedBefore()
    {
        var forward = new RandomWalkWaveform(7, 50, 3, 0, 100);
        double[] expected = [.. Enumerable.Range(0, 5000).Select(k => forward.ValueAt(k))];

        var backward = new RandomWalkWaveform(7, 50, 3, 0, 100);
        double[] reversed = [.. Enumerable.Range(0, 5000).Reverse().Select(k => backward.ValueAt(k))];
        var scattered = new RandomWalkWaveform(7, 50, 3, 0, 100);
        var random = new Random(3);
        for (int i = 0; i < 500; i++)
        {
            int k = random.Next(5000);
            Assert.Equal(expected[k], scattered.ValueAt(k));
        }

        Assert.Equal(expected, Enumerable.Reverse(reversed));
    }

    [Fact]
    public void ARandomWalkStaysInItsRangeMovesAtMostItsStepAndDependsOnItsSeed()
    {
        var walk = new RandomWalkWaveform(11, 0, 2.5, -10, 10);
        var other = new RandomWalkWaveform(12, 0, 2.5, -10, 10);
        double previous = walk.ValueAt(0);
        int differences = 0;
        for (long k = 1; k < 20_000; k++)
        {
            double value = walk.ValueAt(k);
            Assert.InRange(value, -10, 10);
            Assert.True(Math.Abs(value - previous) <= 2.5 + 1e-9, $"step {k} moved {value - previous}");
            differences += value != other.ValueAt(k) ? 1 : 0;
            previous = value;
        }

        Assert.Equal(0, walk.ValueAt(0));
        Assert.Equal(0, walk.ValueAt(-5));
        Assert.True(differences > 19_000);
    }
}
