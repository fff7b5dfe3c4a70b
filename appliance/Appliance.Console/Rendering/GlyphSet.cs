namespace Appliance.Console.Rendering;

/// <summary>
/// The characters the console draws frames and marks with, chosen for the terminal: plain ASCII for a serial terminal
/// (<c>vt100</c>, <c>vt220</c>, or any unknown <c>TERM</c>), the single-line box drawing of the Linux VT's console font
/// (the PC character set every Linux console font carries: <c>─│┌┐└┘├┤</c>, <c>█</c>) on <c>TERM=linux</c>, and the same
/// on a modern terminal. No other non-ASCII character is ever drawn: text from the daemon is made printable ASCII first.
/// </summary>
public sealed record GlyphSet(char Horizontal, char Vertical, char TopLeft, char TopRight, char BottomLeft, char BottomRight, char TeeLeft, char TeeRight, char Block, char Good, char Bad)
{
    /// <summary>ASCII only: <c>-|+</c>, <c>#</c> for a bar, <c>+</c>/<c>x</c> marks.</summary>
    public static GlyphSet Ascii { get; } = new('-', '|', '+', '+', '+', '+', '+', '+', '#', '+', 'x');

    /// <summary>The Linux console font's single-line box drawing (CP437) and full block; ASCII marks.</summary>
    public static GlyphSet LinuxVt { get; } = new('\u2500', '\u2502', '\u250C', '\u2510', '\u2514', '\u2518', '\u251C', '\u2524', '\u2588', '+', 'x');

    /// <summary>Whether the set is plain ASCII.</summary>
    public bool IsAscii => Horizontal < 128;

    /// <summary>
    /// The set for a <c>TERM</c>: box drawing for <c>linux</c> and for terminals known to speak UTF-8 (xterm, tmux,
    /// screen, rxvt, kitty, alacritty, foot, wezterm, vte), ASCII for everything else (vt100, vt220, dumb, unset) and
    /// whenever <c>APPLIANCE_CONSOLE_ASCII=1</c>.
    /// </summary>
    public static GlyphSet For(string? term, bool forceAscii = false)
    {
        if (forceAscii || string.IsNullOrEmpty(term))
        {
            return Ascii;
        }

        string[] boxCapable = ["linux", "xterm", "tmux", "screen", "rxvt", "kitty", "alacritty", "foot", "wezterm", "vte", "konsole", "gnome"];
        return boxCapable.Any(prefix => term.StartsWith(prefix, StringComparison.Ordinal)) ? LinuxVt : Ascii;
    }
}
