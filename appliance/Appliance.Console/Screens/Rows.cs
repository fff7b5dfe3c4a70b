using Appliance.Console.Rendering;

namespace Appliance.Console.Screens;

/// <summary>Writes a screen's body row after row between two rows of the canvas; what does not fit is left out.</summary>
internal sealed class Rows(Canvas canvas, int top, int bottom)
{
    public int Row { get; private set; } = top;

    public bool Full => Row >= bottom;

    public int Left => Math.Max(0, bottom - Row);

    public Canvas Canvas => canvas;

    /// <summary>One row of text in one style.</summary>
    public void Line(string text, Style style = Style.Normal)
    {
        if (!Full)
        {
            canvas.Write(0, Row++, text, style);
        }
    }

    /// <summary>One row of segments, each in its own style.</summary>
    public void Line(params (string Text, Style Style)[] segments)
    {
        if (Full)
        {
            return;
        }

        int x = 0;
        foreach ((string text, Style style) in segments)
        {
            x = canvas.Write(x, Row, text, style);
        }

        Row++;
    }

    /// <summary>A rule with a title.</summary>
    public void Rule(string title)
    {
        if (!Full)
        {
            canvas.Rule(Row++, title);
        }
    }

    public void Skip(int rows = 1) => Row = Math.Min(bottom, Row + rows);
}
