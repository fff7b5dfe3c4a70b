using System.Text.Json;
using Appliance.Console.Channel;
using Appliance.Console.Rendering;

namespace Appliance.Console.Screens;

/// <summary>The daemon's recent log lines and audit entries, one list by time, newest at the bottom, scrollable.</summary>
internal static class LogScreen
{
    public static void Paint(Rows rows, ConsoleModel model, ConsoleController controller)
    {
        var entries = new List<(long At, string Text, Style Style)>();
        foreach (JsonElement line in model.Log.Items("log"))
        {
            string level = line.Str("level");
            entries.Add((line.Long("ts"), $"{Format.Cell(level, 5)} {line.Str("text")}", level switch
            {
                "crit" or "error" => Style.Bad,
                "warn" => Style.Warn,
                _ => Style.Normal,
            }));
        }

        foreach (JsonElement entry in model.Log.Items("audit"))
        {
            if (entry.ValueKind != JsonValueKind.Object)
            {
                entries.Add((0, "audit (unreadable line)", Style.Bad));
                continue;
            }

            var parts = new List<string>();
            foreach (JsonProperty field in entry.EnumerateObject())
            {
                if (field.Name is not ("ts" or "time" or "seq" or "prev" or "hash"))
                {
                    parts.Add($"{field.Name}={Json.Text(field.Value)}");
                }
            }

            long at = entry.Long("ts");
            if (at == 0 && DateTimeOffset.TryParse(entry.Str("ts"), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out DateTimeOffset time))
            {
                at = time.ToUnixTimeMilliseconds();
            }

            entries.Add((at, "audit " + string.Join(' ', parts), Style.Title));
        }

        var lines = new List<(string Text, Style Style)>();
        foreach ((long at, string text, Style style) in entries.OrderBy(entry => entry.At))
        {
            foreach (string line in Format.Wrap($"{Format.Clock(at)} {text}", rows.Canvas.Width, 15))
            {
                lines.Add((line, style));
            }
        }

        if (lines.Count == 0)
        {
            rows.Line("No log lines yet.", Style.Dim);
            return;
        }

        // Newest at the bottom: scroll 0 shows the end; scrolling goes back in time.
        int visible = rows.Left;
        int back = controller.ClampScroll(lines.Count, visible);
        int first = Math.Max(0, lines.Count - visible - back);
        foreach ((string text, Style style) in lines.Skip(first).Take(visible))
        {
            rows.Line(text, style);
        }
    }
}
