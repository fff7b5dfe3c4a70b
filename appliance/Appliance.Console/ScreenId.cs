namespace Appliance.Console;

/// <summary>The console's screens, in the order of their keys (1 to 6, F1 to F6).</summary>
public enum ScreenId
{
    Overview,
    Values,
    Voter,
    Policy,
    Drivers,
    Log,
}
