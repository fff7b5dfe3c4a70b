using Appliance.Console.Rendering;
using Appliance.Console.Screens;
using Terminal.Gui.Drivers;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;

namespace Appliance.Console.Tui;

/// <summary>
/// The one Terminal.Gui view of the console: it paints the screen onto a <see cref="Canvas"/> and hands Terminal.Gui only
/// the cells that differ from the canvas it drew before, so that a status refresh sends a few dozen bytes instead of the
/// whole screen (a serial line at 115200 baud carries about 11 KB/s). The viewport is never cleared by Terminal.Gui;
/// after a resize or a cleared screen everything is drawn once.
/// </summary>
internal sealed class ConsoleView : View
{
    private readonly ConsoleModel _model;
    private readonly ConsoleController _controller;
    private readonly GlyphSet _glyphs;
    private readonly bool _colour;
    private Canvas? _shown;

    public ConsoleView(ConsoleModel model, ConsoleController controller, GlyphSet glyphs, bool colour)
    {
        _model = model;
        _controller = controller;
        _glyphs = glyphs;
        _colour = colour;
        CanFocus = true;
        Width = Dim.Fill();
        Height = Dim.Fill();
    }

    /// <summary>A key the console understands, handed over as a <see cref="KeyPress"/>.</summary>
    public event Action<KeyPress>? KeyPressed;

    /// <summary>Draws everything at the next redraw (the screen was cleared under us).</summary>
    public void Invalidate()
    {
        _shown = null;
        SetNeedsDraw();
    }

    protected override bool OnClearingViewport() => true;

    protected override bool OnDrawingContent(DrawContext? context)
    {
        int width = Viewport.Width;
        int height = Viewport.Height;
        if (width <= 0 || height <= 0)
        {
            return true;
        }

        var next = new Canvas(width, height, _glyphs);
        ScreenPainter.Paint(next, _model, _controller);
        Canvas? shown = _shown is { } previous && previous.Width == width && previous.Height == height ? previous : null;
        for (int y = 0; y < height; y++)
        {
            int x = 0;
            while (x < width)
            {
                if (shown is not null && shown.CharAt(x, y) == next.CharAt(x, y) && shown.StyleAt(x, y) == next.StyleAt(x, y))
                {
                    x++;
                    continue;
                }

                // A run of changed cells of one style, written at once.
                Style style = next.StyleAt(x, y);
                int start = x;
                var run = new System.Text.StringBuilder();
                while (x < width && next.StyleAt(x, y) == style
                    && (shown is null || shown.CharAt(x, y) != next.CharAt(x, y) || shown.StyleAt(x, y) != next.StyleAt(x, y)))
                {
                    run.Append(next.CharAt(x, y));
                    x++;
                }

                SetAttribute(Palette.Of(style, _colour));
                AddStr(start, y, run.ToString());
            }
        }

        _shown = next;
        return true;
    }

    protected override bool OnKeyDown(Key key)
    {
        ArgumentNullException.ThrowIfNull(key);
        KeyPress? press = Translate(key);
        if (press is { } known)
        {
            KeyPressed?.Invoke(known);
        }

        return true; // every key is the console's: nothing falls through to Terminal.Gui's own bindings
    }

    private static KeyPress? Translate(Key key)
    {
        KeyCode code = key.KeyCode;
        KeyName name = code switch
        {
            KeyCode.F1 => KeyName.F1,
            KeyCode.F2 => KeyName.F2,
            KeyCode.F3 => KeyName.F3,
            KeyCode.F4 => KeyName.F4,
            KeyCode.F5 => KeyName.F5,
            KeyCode.F6 => KeyName.F6,
            KeyCode.CursorUp => KeyName.Up,
            KeyCode.CursorDown => KeyName.Down,
            KeyCode.PageUp => KeyName.PageUp,
            KeyCode.PageDown => KeyName.PageDown,
            KeyCode.Home => KeyName.Home,
            KeyCode.End => KeyName.End,
            KeyCode.Enter => KeyName.Enter,
            KeyCode.Esc => KeyName.Escape,
            KeyCode.Backspace => KeyName.Backspace,
            _ => KeyName.None,
        };
        if (name != KeyName.None)
        {
            return new KeyPress(name);
        }

        string text = key.AsGrapheme ?? "";
        return !key.IsCtrl && !key.IsAlt && text.Length == 1 && text[0] is >= ' ' and <= '~' ? KeyPress.Of(text[0]) : null;
    }
}
