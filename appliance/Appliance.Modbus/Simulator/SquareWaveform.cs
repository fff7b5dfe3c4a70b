using System.Globalization;

namespace Appliance.Modbus.Simulator;

/// <summary>On (1) for the first half of every <see cref="Period"/> steps, off (0) for the second: for bits.</summary>
public sealed class SquareWaveform : Waveform
{
    public SquareWaveform(long period, long phase = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 2);
        Period = period;
        Phase = phase;
    }

    public long Period { get; }

    public long Phase { get; }

    public override double ValueAt(long step) => Position(step, Phase, Period) < Period / 2 ? 1 : 0;

    public override string Describe() => string.Create(CultureInfo.InvariantCulture, $"square /{Period}");
}
