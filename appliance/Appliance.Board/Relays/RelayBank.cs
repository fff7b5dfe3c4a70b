using System.Device.Gpio;

namespace Appliance.Board.Relays;

/// <summary>
/// The relays, each an output line of a <see cref="GpioController"/> (on the Pi the character-device driver, libgpiod),
/// driven to its safe state when opened and again when disposed. <see cref="Set"/> changes a relay's state (the level
/// inverted for an active-low board) and reports every change through <see cref="Changed"/>, for the log and the audit.
/// </summary>
public sealed class RelayBank : IDisposable
{
    private readonly Dictionary<int, GpioController> _controllers = [];
    private readonly Dictionary<string, (RelaySpec Spec, bool Energized)> _relays = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <param name="driverOf">The GPIO driver of a chip number.</param>
    public RelayBank(IReadOnlyList<RelaySpec> relays, Func<int, GpioDriver> driverOf)
    {
        ArgumentNullException.ThrowIfNull(relays);
        ArgumentNullException.ThrowIfNull(driverOf);
        try
        {
            foreach (RelaySpec relay in relays)
            {
                if (!_controllers.TryGetValue(relay.Chip, out GpioController? controller))
                {
                    controller = _controllers[relay.Chip] = new GpioController(driverOf(relay.Chip));
                }

                controller.OpenPin(relay.Line, PinMode.Output, Level(relay, relay.SafeEnergized));
                _relays[relay.Name] = (relay, relay.SafeEnergized);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>A relay changed: its name, energized or not, and why.</summary>
    public event Action<string, bool, string>? Changed;

    public IEnumerable<RelaySpec> Relays
    {
        get
        {
            lock (_lock)
            {
                return [.. _relays.Values.Select(relay => relay.Spec)];
            }
        }
    }

    public bool IsEnergized(string name)
    {
        lock (_lock)
        {
            return _relays[name].Energized;
        }
    }

    /// <summary>Sets a relay; returns whether it changed.</summary>
    /// <exception cref="KeyNotFoundException">No relay of that name.</exception>
    public bool Set(string name, bool energized, string why)
    {
        lock (_lock)
        {
            (RelaySpec spec, bool now) = _relays[name];
            if (now == energized)
            {
                return false;
            }

            _controllers[spec.Chip].Write(spec.Line, Level(spec, energized));
            _relays[name] = (spec, energized);
        }

        Changed?.Invoke(name, energized, why);
        return true;
    }

    /// <summary>Every relay to its safe state, then the lines are released.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            foreach ((RelaySpec spec, bool energized) in _relays.Values)
            {
                if (energized != spec.SafeEnergized)
                {
                    _controllers[spec.Chip].Write(spec.Line, Level(spec, spec.SafeEnergized));
                }
            }

            _relays.Clear();
            foreach (GpioController controller in _controllers.Values)
            {
                controller.Dispose();
            }

            _controllers.Clear();
        }
    }

    private static PinValue Level(RelaySpec relay, bool energized) => energized != relay.ActiveLow ? PinValue.High : PinValue.Low;
}
