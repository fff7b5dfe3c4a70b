using System.Globalization;

namespace Appliance.Modbus.Simulator;

/// <summary>A sawtooth: rises from <see cref="Min"/> in equal steps and falls back after <see cref="Period"/> steps.</summary>
public sealed class RampWaveform : Waveform
{
    public RampWaveform(double min, double max, long period, long phase = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        Min = min;
        Max = max;
        Period = period;
        Phase = phase;
    }

    public double Min { get; }

    public double Max { get; }

    /// <summary>Steps from one start of the ramp to the next.</summary>
    public long Period { get; }

    /// <summary>Steps added to k before the ramp is evaluated.</summary>
    public long Phase { get; }

    public override double ValueAt(long step) => Min + ((Max - Min) * Position(step, Phase, Period) / Period);

    public override string Describe() => string.Create(CultureInfo.InvariantCulture, $"ramp {Min}..{Max} /{Period}");
}
