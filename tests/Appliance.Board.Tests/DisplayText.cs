using Appliance.Board.Display;

namespace Appliance.Testing;

/// <summary>Reads text back off a display image, cell by cell against the built-in font (tests only).</summary>
internal static class DisplayText
{
    /// <summary>
    /// The text row at pixel row <paramref name="y"/>: each 6x8 cell matched exactly against every glyph (dark on lit
    /// when <paramref name="inverted"/>), '¿' where none matches; trailing blanks trimmed.
    /// </summary>
    public static string Row(Framebuffer frame, int y, bool inverted = false, int scale = 1)
    {
        var text = new System.Text.StringBuilder();
        for (int x = 0; x + (Font.CellWidth * scale) <= frame.Width; x += Font.CellWidth * scale)
        {
            text.Append(Font.Characters().FirstOrDefault(c => Matches(frame, x, y, c, inverted, scale), '¿'));
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>Every small-font row of the image, top to bottom.</summary>
    public static IReadOnlyList<string> Rows(Framebuffer frame, bool inverted = false) =>
        [.. Enumerable.Range(0, frame.Height / Font.CellHeight).Select(row => Row(frame, row * Font.CellHeight, inverted))];

    private static bool Matches(Framebuffer frame, int x, int y, char c, bool inverted, int scale)
    {
        ReadOnlySpan<byte> glyph = Font.Glyph(c);
        for (int column = 0; column < Font.CellWidth; column++)
        {
            byte bits = column < Font.GlyphWidth ? glyph[column] : (byte)0;
            for (int row = 0; row < Font.CellHeight; row++)
            {
                bool on = ((bits >> row) & 1) != 0;
                for (int dy = 0; dy < scale; dy++)
                {
                    for (int dx = 0; dx < scale; dx++)
                    {
                        if (frame[x + (column * scale) + dx, y + (row * scale) + dy] != (on != inverted))
                        {
                            return false;
                        }
                    }
                }
            }
        }

        return true;
    }
}
