namespace Appliance.Console;

/// <summary>A key as the console uses it: a named key, or a printable character (<see cref="KeyName.Char"/>).</summary>
public readonly record struct KeyPress(KeyName Name, char Char = '\0')
{
    public static KeyPress Of(char c) => new(KeyName.Char, c);
}

public enum KeyName
{
    None,
    Char,
    F1,
    F2,
    F3,
    F4,
    F5,
    F6,
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
    Enter,
    Escape,
    Backspace,
}
