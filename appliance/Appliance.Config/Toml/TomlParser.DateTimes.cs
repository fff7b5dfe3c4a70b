namespace Appliance.Config.Toml;

public static partial class TomlParser
{
    // RFC 3339 as TOML 1.0.0 uses it:
    //
    //   offset-date-time  1979-05-27T07:32:00.999-07:00   full-date time-delim partial-time time-offset
    //   local-date-time   1979-05-27 07:32:00             full-date time-delim partial-time
    //   local-date        1979-05-27                      full-date
    //   local-time        07:32:00.999999                 partial-time
    //
    //   full-date    = YYYY "-" MM "-" DD           month 01-12, day 01-28/29/30/31 by month and leap year
    //   time-delim   = "T" / "t" / " "
    //   partial-time = HH ":" MM ":" SS [ "." 1*DIGIT ]   hour 00-23, minute 00-59, second 00-59;
    //                                                     seconds are required in TOML 1.0
    //   time-offset  = "Z" / "z" / ( "+" / "-" ) HH ":" MM
    //
    // Fractions keep nanoseconds; further digits are truncated. A leap second (60) is rejected: it
    // cannot be represented by .NET's date and time types, and toml-test does not require it.

    /// <summary>True when a value starting at <paramref name="start"/> is a date (<c>YYYY-</c>) or a time (<c>HH:</c>).</summary>
    private static bool LooksLikeDateOrTime(ReadOnlySpan<byte> input, int start)
    {
        int i = start;
        while (i < input.Length && IsDigit(input[i]))
        {
            i++;
        }

        int digits = i - start;
        return i < input.Length && ((digits == 4 && input[i] == '-') || (digits == 2 && input[i] == ':'));
    }

    private static TomlDateTime ParseDateTime(ref TomlScanner s, TomlPosition position)
    {
        if (s.PeekAt(2) == ':')
        {
            ParsePartialTime(ref s, out int hour, out int minute, out int second, out int nanosecond);
            CheckDateTimeEnd(ref s, "a local time");
            return new TomlDateTime(
                new TomlDateTimeValue(TomlValueKind.LocalTime, 0, 0, 0, hour, minute, second, nanosecond, 0),
                position);
        }

        const string DateForm = "a date is written YYYY-MM-DD, as in 1979-05-27";
        int year = ReadDigits(ref s, 4, "year", DateForm);
        ExpectDateTimeSeparator(ref s, '-', DateForm);
        int monthOffset = s.Offset;
        int month = ReadDigits(ref s, 2, "month", DateForm);
        ExpectDateTimeSeparator(ref s, '-', DateForm);
        int dayOffset = s.Offset;
        int day = ReadDigits(ref s, 2, "day", DateForm);
        if (month is < 1 or > 12)
        {
            s.Fail(TomlErrorCode.InvalidDateTime, monthOffset, $"month {month:D2} does not exist (01-12)");
        }

        int daysInMonth = DaysInMonth(year, month);
        if (day < 1 || day > daysInMonth)
        {
            s.Fail(
                TomlErrorCode.InvalidDateTime,
                dayOffset,
                $"day {day:D2} does not exist in {year:D4}-{month:D2}, which has {daysInMonth} days");
        }

        int b = s.Peek();
        bool hasTime = b is 'T' or 't' || (b == ' ' && IsDigit(s.PeekAt(1)));
        if (!hasTime)
        {
            CheckDateTimeEnd(ref s, "a local date");
            return new TomlDateTime(
                new TomlDateTimeValue(TomlValueKind.LocalDate, year, month, day, 0, 0, 0, 0, 0),
                position);
        }

        s.Advance();
        ParsePartialTime(ref s, out int h, out int m, out int sec, out int ns);
        b = s.Peek();
        TomlValueKind kind = TomlValueKind.LocalDateTime;
        int offsetMinutes = 0;
        if (b is 'Z' or 'z')
        {
            s.Advance();
            kind = TomlValueKind.OffsetDateTime;
        }
        else if (b is '+' or '-')
        {
            const string OffsetForm = "a UTC offset is written Z, +HH:MM or -HH:MM, as in -07:00";
            s.Advance();
            int offsetHourOffset = s.Offset;
            int offsetHour = ReadDigits(ref s, 2, "offset hour", OffsetForm);
            ExpectDateTimeSeparator(ref s, ':', OffsetForm);
            int offsetMinuteOffset = s.Offset;
            int offsetMinute = ReadDigits(ref s, 2, "offset minute", OffsetForm);
            CheckRange(ref s, offsetHour, 23, offsetHourOffset, "offset hour");
            CheckRange(ref s, offsetMinute, 59, offsetMinuteOffset, "offset minute");
            offsetMinutes = ((offsetHour * 60) + offsetMinute) * (b == '-' ? -1 : 1);
            kind = TomlValueKind.OffsetDateTime;
        }

        CheckDateTimeEnd(ref s, kind == TomlValueKind.OffsetDateTime ? "an offset date-time" : "a local date-time");
        return new TomlDateTime(new TomlDateTimeValue(kind, year, month, day, h, m, sec, ns, offsetMinutes), position);
    }

    private static void ParsePartialTime(ref TomlScanner s, out int hour, out int minute, out int second, out int nanosecond)
    {
        const string TimeForm = "a time is written HH:MM:SS, as in 07:32:00 or 07:32:00.999";
        int hourOffset = s.Offset;
        hour = ReadDigits(ref s, 2, "hour", TimeForm);
        ExpectDateTimeSeparator(ref s, ':', TimeForm);
        int minuteOffset = s.Offset;
        minute = ReadDigits(ref s, 2, "minute", TimeForm);
        if (s.Peek() != ':')
        {
            s.Fail(
                TomlErrorCode.InvalidDateTime,
                s.Offset,
                $"expected ':' and the seconds, found {s.Describe(s.Offset)}: TOML 1.0 requires seconds ({hour:D2}:{minute:D2}:00)");
        }

        s.Advance();
        int secondOffset = s.Offset;
        second = ReadDigits(ref s, 2, "second", TimeForm);
        CheckRange(ref s, hour, 23, hourOffset, "hour");
        CheckRange(ref s, minute, 59, minuteOffset, "minute");
        CheckRange(ref s, second, 59, secondOffset, "second");

        // time-secfrac = "." 1*DIGIT: the first nine digits are nanoseconds, the rest are dropped.
        nanosecond = 0;
        if (s.Peek() == '.')
        {
            s.Advance();
            if (!IsDigit(s.Peek()))
            {
                s.Fail(
                    TomlErrorCode.InvalidDateTime,
                    s.Offset,
                    $"a decimal point in a time must be followed by digits, found {s.Describe(s.Offset)}");
            }

            int digits = 0;
            int b;
            while (IsDigit(b = s.Peek()))
            {
                if (digits < 9)
                {
                    nanosecond = (nanosecond * 10) + (b - '0');
                    digits++;
                }

                s.Advance();
            }

            for (; digits < 9; digits++)
            {
                nanosecond *= 10;
            }
        }
    }

    private static int ReadDigits(ref TomlScanner s, int count, string field, string form)
    {
        int value = 0;
        for (int i = 0; i < count; i++)
        {
            int b = s.PeekAt(i);
            if (!IsDigit(b))
            {
                s.Fail(
                    TomlErrorCode.InvalidDateTime,
                    s.Offset + i,
                    $"expected {count} digits for the {field}, found {s.Describe(s.Offset + i)}; {form}");
            }

            value = (value * 10) + (b - '0');
        }

        s.Advance(count);
        return value;
    }

    private static void ExpectDateTimeSeparator(ref TomlScanner s, char separator, string form)
    {
        if (s.Peek() != separator)
        {
            s.Fail(TomlErrorCode.InvalidDateTime, s.Offset, $"expected '{separator}', found {s.Describe(s.Offset)}; {form}");
        }

        s.Advance();
    }

    private static void CheckRange(ref TomlScanner s, int value, int max, int offset, string field)
    {
        if (value > max)
        {
            s.Fail(TomlErrorCode.InvalidDateTime, offset, $"{field} {value:D2} is out of range (00-{max:D2})");
        }
    }

    /// <summary>A date-time must not run into more text (<c>2020-01-01x</c>, <c>07:32:00Z</c> for a local time).</summary>
    private static void CheckDateTimeEnd(ref TomlScanner s, string what)
    {
        int b = s.Peek();
        if (IsBareKeyByte(b) || b is '.' or '+' or ':')
        {
            s.Fail(TomlErrorCode.InvalidDateTime, s.Offset, $"unexpected {s.Describe(s.Offset)} after {what}");
        }
    }

    private static int DaysInMonth(int year, int month)
    {
        bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        return month switch
        {
            2 => leap ? 29 : 28,
            4 or 6 or 9 or 11 => 30,
            _ => 31,
        };
    }
}
