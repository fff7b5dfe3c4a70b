namespace Appliance.Board.Relays;

/// <summary>What a relay is for.</summary>
public enum RelayRole
{
    /// <summary>Energized while an alarm is active or Breach mode is on (a beacon, a horn).</summary>
    Alarm,

    /// <summary>Energized (the uplink connected) except in Lockdown, when it opens: the plant side is physically cut from IT.</summary>
    UplinkIsolate,

    /// <summary>Switched by an operator from the console.</summary>
    Manual,
}

/// <summary>One relay on a GPIO line.</summary>
/// <param name="Name">Its name in logs, the audit log and the console.</param>
/// <param name="Chip">The GPIO chip (/dev/gpiochipN).</param>
/// <param name="Line">The line on that chip (the BCM number on a Pi 4's chip 0).</param>
/// <param name="ActiveLow">Whether the relay board energizes on a low level (most opto-isolated boards do).</param>
/// <param name="Role">What drives it.</param>
/// <param name="SafeEnergized">Its state at start and at shutdown.</param>
public sealed record RelaySpec(string Name, int Chip, int Line, bool ActiveLow, RelayRole Role, bool SafeEnergized);
