namespace Appliance.Board.Display;

/// <summary>
/// A one-bit image in the SSD1306's own memory layout: <see cref="Height"/>/8 pages of <see cref="Width"/> column
/// bytes, bit 0 the top row of the page. Text is drawn in 6x8 cells of <see cref="Font"/>, at any integer scale.
/// </summary>
public sealed class Framebuffer
{
    public Framebuffer(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if (height <= 0 || height % 8 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(height), height, "the height is a whole number of 8-row pages");
        }

        Width = width;
        Height = height;
        Bytes = new byte[width * (height / 8)];
    }

    public int Width { get; }

    public int Height { get; }

    public int Pages => Height / 8;

    /// <summary>The page-ordered bytes, as the display's memory holds them.</summary>
    public byte[] Bytes { get; }

    /// <summary>The <see cref="Width"/> column bytes of one page.</summary>
    public ReadOnlySpan<byte> Page(int page) => Bytes.AsSpan(page * Width, Width);

    public void Clear(bool on = false) => Array.Fill(Bytes, on ? (byte)0xFF : (byte)0);

    public bool this[int x, int y]
    {
        get => x >= 0 && x < Width && y >= 0 && y < Height && (Bytes[((y / 8) * Width) + x] & (1 << (y % 8))) != 0;
        set
        {
            if (x < 0 || x >= Width || y < 0 || y >= Height)
            {
                return; // clipped
            }

            ref byte column = ref Bytes[((y / 8) * Width) + x];
            column = value ? (byte)(column | (1 << (y % 8))) : (byte)(column & ~(1 << (y % 8)));
        }
    }

    /// <summary>Sets a rectangle to on or off (clipped to the image).</summary>
    public void Fill(int x, int y, int width, int height, bool on)
    {
        for (int row = y; row < y + height; row++)
        {
            for (int column = x; column < x + width; column++)
            {
                this[column, row] = on;
            }
        }
    }

    /// <summary>
    /// Draws <paramref name="text"/> from (<paramref name="x"/>, <paramref name="y"/>), each character a 6x8 cell times
    /// <paramref name="scale"/>: glyph pixels on and the rest of the cell off, or the reverse when <paramref name="inverted"/>.
    /// Returns the x after the last cell. What falls outside the image is clipped.
    /// </summary>
    public int DrawText(int x, int y, string text, int scale = 1, bool inverted = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        foreach (char c in text)
        {
            ReadOnlySpan<byte> glyph = Font.Glyph(c);
            for (int column = 0; column < Font.CellWidth; column++)
            {
                byte bits = column < Font.GlyphWidth ? glyph[column] : (byte)0;
                for (int row = 0; row < Font.CellHeight; row++)
                {
                    bool on = ((bits >> row) & 1) != 0;
                    Fill(x + (column * scale), y + (row * scale), scale, scale, on != inverted);
                }
            }

            x += Font.CellWidth * scale;
        }

        return x;
    }

    /// <summary>The image as text, '#' for a lit pixel and '.' for a dark one, one line per row (for tests and logs).</summary>
    public string ToArt(int x = 0, int y = 0, int width = -1, int height = -1)
    {
        width = width < 0 ? Width - x : width;
        height = height < 0 ? Height - y : height;
        var art = new System.Text.StringBuilder((width + 1) * height);
        for (int row = y; row < y + height; row++)
        {
            for (int column = x; column < x + width; column++)
            {
                art.Append(this[column, row] ? '#' : '.');
            }

            art.Append('\n');
        }

        return art.ToString();
    }
}
