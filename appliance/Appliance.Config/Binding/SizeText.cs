using System.Globalization;

namespace Appliance.Config.Binding;

/// <summary>Sizes as written in the configuration: a number of bytes, or a string with a unit, <c>"64MiB"</c>, <c>"1GB"</c>.</summary>
internal static class SizeText
{
    private static readonly (string Suffix, long Bytes)[] Units =
    [
        ("KiB", 1L << 10),
        ("MiB", 1L << 20),
        ("GiB", 1L << 30),
        ("TiB", 1L << 40),
        ("KB", 1_000),
        ("MB", 1_000_000),
        ("GB", 1_000_000_000),
        ("TB", 1_000_000_000_000),
        ("B", 1),
    ];

    public static bool TryParse(string text, out long bytes, out string problem)
    {
        bytes = 0;
        foreach ((string suffix, long unit) in Units)
        {
            if (!text.EndsWith(suffix, StringComparison.Ordinal))
            {
                continue;
            }

            string number = text[..^suffix.Length].TrimEnd();
            if (number.Length > 0 && number.All(char.IsAsciiDigit)
                && long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out long amount)
                && amount <= long.MaxValue / unit)
            {
                bytes = amount * unit;
                problem = string.Empty;
                return true;
            }

            break;
        }

        problem = $"\"{text}\" is not a size; write a whole number and a unit, like \"512KiB\", \"256MiB\" or \"1GB\", or a number of bytes without quotes";
        return false;
    }

    public static string Format(long bytes) => bytes switch
    {
        >= 1L << 30 when bytes % (1L << 30) == 0 => $"{bytes >> 30}GiB",
        >= 1L << 20 when bytes % (1L << 20) == 0 => $"{bytes >> 20}MiB",
        >= 1L << 10 when bytes % (1L << 10) == 0 => $"{bytes >> 10}KiB",
        _ => $"{bytes}B",
    };
}
