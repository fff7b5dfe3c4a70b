using Appliance.Console.Rendering;
using Terminal.Gui.Drawing;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace Appliance.Console.Tui;

/// <summary>
/// The colours of each <see cref="Style"/>: the 16 colours every Linux VT and modern terminal has, or, on a terminal
/// without colour (<c>vt100</c>, <c>vt220</c>), bold, reverse video and blink, which a VT220 does show.
/// </summary>
internal static class Palette
{
    public static Attribute Of(Style style, bool colour) => colour ? Colour(style) : Mono(style);

    /// <summary>Whether the terminal shows colour: not a DEC VT100/VT220 (or anything unnamed) on a serial line.</summary>
    public static bool HasColour(string? term) =>
        !string.IsNullOrEmpty(term) && !term.StartsWith("vt", StringComparison.Ordinal) && term != "dumb";

    private static Attribute Colour(Style style) => style switch
    {
        Style.Title => Make(ColorName16.White, ColorName16.Black, TextStyle.Bold),
        Style.Dim => Make(ColorName16.DarkGray, ColorName16.Black),
        Style.Good => Make(ColorName16.BrightGreen, ColorName16.Black),
        Style.Warn => Make(ColorName16.BrightYellow, ColorName16.Black),
        Style.Bad => Make(ColorName16.BrightRed, ColorName16.Black, TextStyle.Bold),
        Style.Key => Make(ColorName16.Black, ColorName16.Cyan),
        Style.Selected => Make(ColorName16.Black, ColorName16.Gray),
        Style.ModeDataDiode => Make(ColorName16.Black, ColorName16.Green, TextStyle.Bold),
        Style.ModeSecureChannel => Make(ColorName16.White, ColorName16.Blue, TextStyle.Bold),
        Style.ModeLockdown => Make(ColorName16.Black, ColorName16.BrightYellow, TextStyle.Bold),
        Style.ModeBreach => Make(ColorName16.BrightYellow, ColorName16.Red, TextStyle.Bold | TextStyle.Blink),
        _ => Make(ColorName16.Gray, ColorName16.Black),
    };

    private static Attribute Mono(Style style) => style switch
    {
        Style.Title or Style.Bad => Make(ColorName16.Gray, ColorName16.Black, TextStyle.Bold),
        Style.Key or Style.Selected or Style.ModeDataDiode or Style.ModeSecureChannel or Style.ModeLockdown => Make(ColorName16.Gray, ColorName16.Black, TextStyle.Reverse),
        Style.ModeBreach => Make(ColorName16.Gray, ColorName16.Black, TextStyle.Reverse | TextStyle.Bold | TextStyle.Blink),
        _ => Make(ColorName16.Gray, ColorName16.Black),
    };

    private static Attribute Make(ColorName16 foreground, ColorName16 background, TextStyle text = TextStyle.None) =>
        new(new Color(foreground), new Color(background), text);
}
