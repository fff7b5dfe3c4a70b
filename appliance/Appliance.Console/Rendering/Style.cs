namespace Appliance.Console.Rendering;

/// <summary>What a cell means; the terminal view maps each to its colours (or to plain text on a terminal without colour).</summary>
public enum Style : byte
{
    Normal,
    Title,
    Dim,
    Good,
    Warn,
    Bad,
    Key,
    Selected,
    ModeDataDiode,
    ModeSecureChannel,
    ModeLockdown,
    ModeBreach,
}
