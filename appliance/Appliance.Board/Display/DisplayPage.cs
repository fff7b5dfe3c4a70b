namespace Appliance.Board.Display;

/// <summary>
/// One page of the status display: a title bar (the title left, <see cref="Corner"/> right, usually the clock, so a
/// frozen display shows itself), optional lines in double size, then lines in the small font, cut to the width. An
/// alarm page is drawn lit, dark text on white, to be seen across a cabinet.
/// </summary>
public sealed record DisplayPage(string Title, IReadOnlyList<string> Lines, bool Alarm = false)
{
    /// <summary>Lines drawn at twice the size below the title (a policy mode), at most 10 characters each on 128 pixels.</summary>
    public IReadOnlyList<string> Large { get; init; } = [];

    /// <summary>Text at the right of the title bar.</summary>
    public string Corner { get; init; } = "";

    /// <summary>Characters a small line holds on a display <paramref name="width"/> pixels wide.</summary>
    public static int Columns(int width) => width / Font.CellWidth;

    /// <summary>Draws the page over the whole of <paramref name="frame"/>.</summary>
    public void Render(Framebuffer frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        int columns = Columns(frame.Width);
        frame.Clear();
        frame.Fill(0, 0, frame.Width, Font.CellHeight, on: true);
        string corner = Corner.Length > columns ? Corner[..columns] : Corner;
        string title = Cut(Title, Math.Max(0, columns - corner.Length - 1));
        frame.DrawText(0, 0, title, inverted: true);
        frame.DrawText((columns - corner.Length) * Font.CellWidth, 0, corner, inverted: true); // on the text grid

        int y = Font.CellHeight;
        foreach (string large in Large)
        {
            y += 2;
            frame.DrawText(0, y, Cut(large, columns / 2), scale: 2);
            y += 2 * Font.CellHeight;
        }

        if (Large.Count > 0)
        {
            y = (y + Font.CellHeight - 1) / Font.CellHeight * Font.CellHeight; // back on a text row
        }

        foreach (string line in Lines)
        {
            if (y + Font.CellHeight > frame.Height)
            {
                break;
            }

            frame.DrawText(0, y, Cut(line, columns));
            y += Font.CellHeight;
        }

        if (Alarm)
        {
            for (int i = 0; i < frame.Bytes.Length; i++)
            {
                frame.Bytes[i] = (byte)~frame.Bytes[i];
            }
        }
    }

    /// <summary>Breaks <paramref name="text"/> into lines of at most <paramref name="columns"/> characters, at spaces where it can.</summary>
    public static IReadOnlyList<string> Wrap(string text, int columns)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        var lines = new List<string>();
        string rest = text.Trim();
        while (rest.Length > columns)
        {
            int space = rest.LastIndexOf(' ', columns);
            int cut = space > 0 ? space : columns;
            lines.Add(rest[..cut].TrimEnd());
            rest = rest[cut..].TrimStart();
        }

        if (rest.Length > 0)
        {
            lines.Add(rest);
        }

        return lines;
    }

    private static string Cut(string text, int columns) => text.Length <= columns ? text : text[..columns];
}
