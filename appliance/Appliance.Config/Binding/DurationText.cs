using System.Globalization;

namespace Appliance.Config.Binding;

/// <summary>
/// Durations as written in the configuration: a number and a unit, <c>"250ms"</c>, <c>"1.5s"</c>,
/// <c>"2m"</c>, <c>"1h"</c>. TOML has no duration type, and a bare number would leave the unit to guesswork.
/// </summary>
internal static class DurationText
{
    private static readonly (string Suffix, double Milliseconds)[] Units =
    [
        ("ms", 1),
        ("s", 1_000),
        ("m", 60_000),
        ("h", 3_600_000),
    ];

    /// <summary>Parses the text, or explains what is wrong with it.</summary>
    public static bool TryParse(string text, out TimeSpan value, out string problem)
    {
        value = default;
        foreach ((string suffix, double milliseconds) in Units)
        {
            if (!text.EndsWith(suffix, StringComparison.Ordinal))
            {
                continue;
            }

            string number = text[..^suffix.Length];
            if (number.Length == 0 || !IsPlainDecimal(number)
                || !double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double amount))
            {
                problem = $"\"{text}\" is not a duration; write a number and a unit, like \"500ms\", \"5s\", \"2m\" or \"1h\"";
                return false;
            }

            double total = amount * milliseconds;
            if (total > TimeSpan.FromDays(366).TotalMilliseconds)
            {
                problem = $"\"{text}\" is longer than a year";
                return false;
            }

            value = TimeSpan.FromTicks((long)Math.Round(total * TimeSpan.TicksPerMillisecond));
            problem = string.Empty;
            return true;
        }

        problem = IsPlainDecimal(text)
            ? $"\"{text}\" has no unit; write \"{text}s\" for seconds or \"{text}ms\" for milliseconds"
            : $"\"{text}\" is not a duration; write a number and a unit, like \"500ms\", \"5s\", \"2m\" or \"1h\"";
        return false;
    }

    /// <summary>The shortest exact text for a duration, as it would be written in the file.</summary>
    public static string Format(TimeSpan value)
    {
        double ms = value.TotalMilliseconds;
        if (ms >= 3_600_000 && ms % 3_600_000 == 0)
        {
            return $"{ms / 3_600_000}h";
        }

        if (ms >= 60_000 && ms % 60_000 == 0)
        {
            return $"{ms / 60_000}m";
        }

        if (ms >= 1_000 && ms % 1_000 == 0)
        {
            return $"{ms / 1_000}s";
        }

        return $"{ms.ToString(CultureInfo.InvariantCulture)}ms";
    }

    private static bool IsPlainDecimal(string text)
    {
        if (text.Length == 0 || text[0] == '.' || text[^1] == '.')
        {
            return false;
        }

        int dots = 0;
        foreach (char c in text)
        {
            if (c == '.')
            {
                dots++;
            }
            else if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return dots <= 1;
    }
}
