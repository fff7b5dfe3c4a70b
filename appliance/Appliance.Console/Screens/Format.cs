using System.Globalization;

namespace Appliance.Console.Screens;

/// <summary>Numbers, durations and modes as the screens write them.</summary>
public static class Format
{
    /// <summary>"3d 04:05:06", "04:05:06".</summary>
    public static string Uptime(long seconds)
    {
        var span = TimeSpan.FromSeconds(Math.Max(0, seconds));
        string clock = string.Create(CultureInfo.InvariantCulture, $"{span.Hours:00}:{span.Minutes:00}:{span.Seconds:00}");
        return span.Days > 0 ? string.Create(CultureInfo.InvariantCulture, $"{span.Days}d {clock}") : clock;
    }

    /// <summary>"0.4s", "12s", "3m", "2h".</summary>
    public static string Age(TimeSpan? age) => age switch
    {
        null => "-",
        { TotalSeconds: < 10 } a => string.Create(CultureInfo.InvariantCulture, $"{a.TotalSeconds:0.0}s"),
        { TotalSeconds: < 120 } a => string.Create(CultureInfo.InvariantCulture, $"{a.TotalSeconds:0}s"),
        { TotalMinutes: < 120 } a => string.Create(CultureInfo.InvariantCulture, $"{a.TotalMinutes:0}m"),
        { } a => string.Create(CultureInfo.InvariantCulture, $"{a.TotalHours:0}h"),
    };

    /// <summary>A Unix time in milliseconds as the UTC time of day, "12:34:56".</summary>
    public static string Clock(long unixMilliseconds) =>
        unixMilliseconds <= 0 ? "--:--:--" : DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds).UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Text cut or padded to exactly <paramref name="width"/> characters.</summary>
    public static string Cell(string text, int width)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length >= width ? text[..Math.Max(0, width)] : text.PadRight(width);
    }

    /// <summary>Text cut or padded on the left to <paramref name="width"/> characters (numbers).</summary>
    public static string Right(string text, int width)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length >= width ? text[..Math.Max(0, width)] : text.PadLeft(width);
    }

    /// <summary>What a policy mode allows the drivers.</summary>
    public static string Allows(string mode) => mode switch
    {
        "data-diode" => "sensor files only; no connection at all",
        "secure-channel" => "sensor files and the allowlisted endpoints",
        "lockdown" => "nothing: no file, no connection",
        "breach" => "EVERYTHING: any endpoint. Switch back now",
        _ => "no drivers: no policy",
    };

    /// <summary>Wraps text into lines of at most <paramref name="width"/> characters, continuation lines indented.</summary>
    public static IEnumerable<string> Wrap(string text, int width, int indent)
    {
        ArgumentNullException.ThrowIfNull(text);
        width = Math.Max(indent + 8, width);
        string rest = text;
        bool first = true;
        while (true)
        {
            int room = first ? width : width - indent;
            string prefix = first ? "" : new string(' ', indent);
            if (rest.Length <= room)
            {
                yield return prefix + rest;
                yield break;
            }

            int cut = rest.LastIndexOf(' ', room);
            if (cut <= room / 2)
            {
                cut = room;
            }

            yield return prefix + rest[..cut];
            rest = rest[cut..].TrimStart();
            first = false;
        }
    }
}
