using System.Text;

namespace Appliance.Console.Rendering;

/// <summary>
/// A screen's worth of cells, each a character and a <see cref="Style"/>: the screens draw here, and the terminal view
/// sends only the cells that differ from what it sent before. Everything written is clipped to the canvas and made
/// printable ASCII (any other character becomes <c>?</c>); frames use the <see cref="GlyphSet"/>.
/// </summary>
public sealed class Canvas
{
    private readonly char[] _chars;
    private readonly Style[] _styles;

    public Canvas(int width, int height, GlyphSet glyphs)
    {
        Width = Math.Max(1, width);
        Height = Math.Max(1, height);
        Glyphs = glyphs;
        _chars = new char[Width * Height];
        _styles = new Style[Width * Height];
        Clear();
    }

    public int Width { get; }

    public int Height { get; }

    public GlyphSet Glyphs { get; }

    public char CharAt(int x, int y) => _chars[(y * Width) + x];

    public Style StyleAt(int x, int y) => _styles[(y * Width) + x];

    public void Clear()
    {
        Array.Fill(_chars, ' ');
        Array.Fill(_styles, Style.Normal);
    }

    /// <summary>Writes <paramref name="text"/> from (x, y), clipped; returns the column after it.</summary>
    public int Write(int x, int y, string text, Style style = Style.Normal, int maxWidth = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = Plain(text);
        int end = (int)Math.Min((long)x + Math.Min(text.Length, maxWidth), Width);
        for (int i = 0; x + i < end; i++)
        {
            Put(x + i, y, Printable(text[i]), style);
        }

        return end;
    }

    /// <summary>Fills a row segment with one style (and spaces).</summary>
    public void Fill(int x, int y, int width, Style style, char glyph = ' ')
    {
        for (int i = 0; i < width; i++)
        {
            Put(x + i, y, glyph, style);
        }
    }

    /// <summary>A horizontal rule with an optional title: <c>-- Title ----</c>.</summary>
    public void Rule(int y, string title = "", Style style = Style.Dim)
    {
        Fill(0, y, Width, style, Glyphs.Horizontal);
        if (title.Length > 0)
        {
            Write(2, y, " " + title + " ", Style.Title);
        }
    }

    /// <summary>A frame around the rectangle, with its title in the top edge.</summary>
    public void Frame(int x, int y, int width, int height, string title = "", Style style = Style.Dim)
    {
        if (width < 2 || height < 2)
        {
            return;
        }

        Put(x, y, Glyphs.TopLeft, style);
        Put(x + width - 1, y, Glyphs.TopRight, style);
        Put(x, y + height - 1, Glyphs.BottomLeft, style);
        Put(x + width - 1, y + height - 1, Glyphs.BottomRight, style);
        Fill(x + 1, y, width - 2, style, Glyphs.Horizontal);
        Fill(x + 1, y + height - 1, width - 2, style, Glyphs.Horizontal);
        for (int row = y + 1; row < y + height - 1; row++)
        {
            Put(x, row, Glyphs.Vertical, style);
            Put(x + width - 1, row, Glyphs.Vertical, style);
        }

        if (title.Length > 0)
        {
            Write(x + 2, y, " " + title + " ", Style.Title, width - 4);
        }
    }

    /// <summary>The canvas as text, one line per row, trailing spaces kept (what a terminal of this size shows).</summary>
    public string ToText()
    {
        var text = new StringBuilder((Width + 1) * Height);
        for (int y = 0; y < Height; y++)
        {
            text.Append(_chars, y * Width, Width).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Text as printable ASCII: the degree sign and micro sign spelled out, any other character '?'.</summary>
    public static string Plain(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (char c in text)
        {
            if (c is < ' ' or > '~')
            {
                return string.Concat(text.Replace("\u00B0", "deg", StringComparison.Ordinal).Replace('\u00B5', 'u').Select(Printable));
            }
        }

        return text;
    }

    /// <summary>Printable ASCII stays; anything else (control characters, other scripts) becomes '?'.</summary>
    public static char Printable(char c) => c is >= ' ' and <= '~' ? c : '?';

    private void Put(int x, int y, char glyph, Style style)
    {
        if (x < 0 || y < 0 || x >= Width || y >= Height)
        {
            return;
        }

        _chars[(y * Width) + x] = glyph;
        _styles[(y * Width) + x] = style;
    }
}
