using System.Globalization;

namespace Appliance.Modbus.Simulator;

/// <summary>
/// A seeded random walk kept between <see cref="Min"/> and <see cref="Max"/> (reflected at the edges).
/// Each step's move comes from a hash of the seed and the step, so the walk is still a pure function of
/// k: the value at k is the same whichever steps were asked before. Values are cached going forward,
/// with a checkpoint every 1024 steps for going back.
/// </summary>
public sealed class RandomWalkWaveform : Waveform
{
    private const long CheckpointInterval = 1024;

    private readonly List<double> _checkpoints;
    private readonly Lock _gate = new();
    private long _cachedStep;
    private double _cachedValue;

    public RandomWalkWaveform(int seed, double start, double stepSize, double min, double max)
    {
        if (!(min <= start && start <= max))
        {
            throw new ArgumentOutOfRangeException(nameof(start), start, $"the start must lie within {min}..{max}");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(stepSize);
        Seed = seed;
        Start = start;
        StepSize = stepSize;
        Min = min;
        Max = max;
        _checkpoints = [start];
        _cachedValue = start;
    }

    public int Seed { get; }

    /// <summary>The value at step 0 (and before).</summary>
    public double Start { get; }

    /// <summary>The largest move in one step.</summary>
    public double StepSize { get; }

    public double Min { get; }

    public double Max { get; }

    public override double ValueAt(long step)
    {
        if (step <= 0)
        {
            return Start;
        }

        lock (_gate)
        {
            long at;
            double value;
            if (_cachedStep <= step)
            {
                at = _cachedStep;
                value = _cachedValue;
            }
            else
            {
                int index = (int)Math.Min(step / CheckpointInterval, _checkpoints.Count - 1);
                at = index * CheckpointInterval;
                value = _checkpoints[index];
            }

            while (at < step)
            {
                at++;
                value = Move(value, at);
                if (at % CheckpointInterval == 0 && at / CheckpointInterval == _checkpoints.Count)
                {
                    _checkpoints.Add(value);
                }
            }

            _cachedStep = step;
            _cachedValue = value;
            return value;
        }
    }

    public override string Describe() => string.Create(CultureInfo.InvariantCulture, $"random walk {Min}..{Max} ±{StepSize} seed {Seed}");

    private double Move(double value, long step)
    {
        double next = value + (StepSize * Unit(step));
        if (next > Max)
        {
            next = Max - (next - Max);
        }

        if (next < Min)
        {
            next = Min + (Min - next);
        }

        return Math.Clamp(next, Min, Max);
    }

    /// <summary>A number in [-1, 1) from SplitMix64 of the seed and the step.</summary>
    private double Unit(long step)
    {
        ulong z = unchecked(((ulong)(uint)Seed * 0x9E3779B97F4A7C15UL) ^ (ulong)step);
        z = unchecked(z + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return ((z >> 11) * (1.0 / (1UL << 53)) * 2) - 1;
    }
}
