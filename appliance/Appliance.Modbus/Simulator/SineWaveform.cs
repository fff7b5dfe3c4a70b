using System.Globalization;

namespace Appliance.Modbus.Simulator;

/// <summary>A sine around <see cref="Center"/> with <see cref="Amplitude"/>, one cycle every <see cref="Period"/> steps.</summary>
public sealed class SineWaveform : Waveform
{
    public SineWaveform(double center, double amplitude, long period, long phase = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        Center = center;
        Amplitude = amplitude;
        Period = period;
        Phase = phase;
    }

    public double Center { get; }

    public double Amplitude { get; }

    public long Period { get; }

    public long Phase { get; }

    public override double ValueAt(long step) => Center + (Amplitude * Math.Sin(2 * Math.PI * Position(step, Phase, Period) / Period));

    public override string Describe() => string.Create(CultureInfo.InvariantCulture, $"sine {Center}±{Amplitude} /{Period}");
}
