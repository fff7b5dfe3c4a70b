using System.Globalization;
using System.Text;

namespace Appliance.Config.Toml;

/// <summary>
/// A TOML date, time, local date-time or offset date-time (RFC 3339 with TOML's relaxations), kept
/// field by field so that no precision or offset is lost. Fields that the kind does not carry are zero.
/// </summary>
/// <param name="Kind">One of OffsetDateTime, LocalDateTime, LocalDate, LocalTime.</param>
/// <param name="Nanosecond">Fraction of the second in nanoseconds; digits past the ninth are truncated.</param>
/// <param name="OffsetMinutes">UTC offset in minutes, for OffsetDateTime only.</param>
public readonly record struct TomlDateTimeValue(
    TomlValueKind Kind,
    int Year,
    int Month,
    int Day,
    int Hour,
    int Minute,
    int Second,
    int Nanosecond,
    int OffsetMinutes)
{
    public bool HasDate => Kind is TomlValueKind.OffsetDateTime or TomlValueKind.LocalDateTime or TomlValueKind.LocalDate;

    public bool HasTime => Kind is TomlValueKind.OffsetDateTime or TomlValueKind.LocalDateTime or TomlValueKind.LocalTime;

    /// <summary>RFC 3339 text: <c>1979-05-27T07:32:00.999-07:00</c>, <c>1979-05-27</c>, <c>07:32:00</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(35);
        if (HasDate)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}-{Day:D2}");
        }

        if (HasDate && HasTime)
        {
            text.Append('T');
        }

        if (HasTime)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Hour:D2}:{Minute:D2}:{Second:D2}");
            if (Nanosecond != 0)
            {
                text.Append('.').Append(Nanosecond.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0'));
            }
        }

        if (Kind == TomlValueKind.OffsetDateTime)
        {
            if (OffsetMinutes == 0)
            {
                text.Append('Z');
            }
            else
            {
                int magnitude = Math.Abs(OffsetMinutes);
                text.Append(OffsetMinutes < 0 ? '-' : '+')
                    .Append(CultureInfo.InvariantCulture, $"{magnitude / 60:D2}:{magnitude % 60:D2}");
            }
        }

        return text.ToString();
    }
}
