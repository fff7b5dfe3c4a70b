namespace Appliance.Modbus.Simulator;

/// <summary>
/// A simulated signal: a pure function of the simulator's step counter k, so any value a client read
/// can be checked against <see cref="ValueAt"/> for the step its reply was built from.
/// </summary>
public abstract class Waveform
{
    /// <summary>The signal at step <paramref name="step"/>; the same step always gives the same value.</summary>
    public abstract double ValueAt(long step);

    /// <summary>A short description for register-map listings, like <c>sine 21.5±3.5 /600</c>.</summary>
    public abstract string Describe();

    /// <summary><paramref name="step"/> + <paramref name="phase"/> modulo <paramref name="period"/>, never negative.</summary>
    protected static long Position(long step, long phase, long period)
    {
        long position = (step + phase) % period;
        return position < 0 ? position + period : position;
    }
}
