using System.Globalization;
using System.Text;

namespace Appliance.Config.Toml;

public static partial class TomlParser
{
    private const ulong NegativeLimit = 9_223_372_036_854_775_808UL;

    // integer = dec-int / hex-int / oct-int / bin-int
    //   dec-int = [ "-" / "+" ] ( DIGIT / digit1-9 1*( DIGIT / "_" DIGIT ) )   1_000  -17  +0  (no 07)
    //   hex-int = "0x" HEXDIG *( HEXDIG / "_" HEXDIG )                         0xDEAD_beef (no sign)
    //   oct-int = "0o" digit0-7 *( digit0-7 / "_" digit0-7 )                   0o755
    //   bin-int = "0b" digit0-1 *( digit0-1 / "_" digit0-1 )                   0b1101_0110
    // float   = dec-int ( exp / frac [ exp ] ) / [ "-" / "+" ] ( "inf" / "nan" )
    //   frac  = "." DIGIT *( DIGIT / "_" DIGIT )                               3.141_592 (no .5, no 5.)
    //   exp   = ( "e" / "E" ) [ "-" / "+" ] DIGIT *( DIGIT / "_" DIGIT )       6.626e-34 (no 1e)
    // Integers are 64-bit signed (the range is checked exactly); floats are IEEE 754 binary64.
    private static TomlValue ParseNumber(ref TomlScanner s, TomlPosition position)
    {
        ReadOnlySpan<byte> input = s.Input;
        int start = s.Offset;
        int b = s.Peek();
        bool negative = b == '-';
        bool signed = b is '+' or '-';
        if (signed)
        {
            s.Advance();
            b = s.Peek();
        }

        if (b is 'i' or 'n')
        {
            return ParseSpecialFloat(ref s, negative, position);
        }

        if (b == '0' && s.PeekAt(1) is 'x' or 'o' or 'b')
        {
            if (signed)
            {
                s.Fail(TomlErrorCode.InvalidInteger, start, "a hexadecimal, octal or binary integer cannot have a sign");
            }

            return ParseRadixInteger(ref s, position);
        }

        bool isFloat = IsFloatAhead(input, s.Offset);
        TomlErrorCode code = isFloat ? TomlErrorCode.InvalidFloat : TomlErrorCode.InvalidInteger;
        if (!IsDigit(b))
        {
            s.Fail(code, s.Offset, $"expected a digit after the sign, found {s.Describe(s.Offset)}");
        }

        int digitsStart = s.Offset;
        ulong magnitude = ScanDigits(ref s, 10, code, out bool overflow);
        if (input[digitsStart] == '0' && s.Offset - digitsStart > 1)
        {
            s.Fail(code, digitsStart, "leading zeros are not allowed in a decimal number (write 7, not 07)");
        }

        if (!isFloat)
        {
            if (overflow || magnitude > (negative ? NegativeLimit : long.MaxValue))
            {
                string text = Encoding.ASCII.GetString(input[start..s.Offset]);
                s.Fail(
                    TomlErrorCode.InvalidInteger,
                    start,
                    $"integer {text} is out of the 64-bit range ({long.MinValue} to {long.MaxValue})");
            }

            CheckNumberEnd(ref s, TomlErrorCode.InvalidInteger, "an integer");
            return new TomlInteger(negative ? unchecked(-(long)magnitude) : (long)magnitude, position);
        }

        if (s.Peek() == '.')
        {
            s.Advance();
            if (!IsDigit(s.Peek()))
            {
                s.Fail(TomlErrorCode.InvalidFloat, s.Offset, $"a decimal point must be followed by digits (write 1.0, not 1.), found {s.Describe(s.Offset)}");
            }

            ScanDigits(ref s, 10, TomlErrorCode.InvalidFloat, out _);
        }

        if (s.Peek() is 'e' or 'E')
        {
            s.Advance();
            if (s.Peek() is '+' or '-')
            {
                s.Advance();
            }

            if (!IsDigit(s.Peek()))
            {
                s.Fail(TomlErrorCode.InvalidFloat, s.Offset, $"an exponent must have digits (write 1e6 or 1e-6), found {s.Describe(s.Offset)}");
            }

            ScanDigits(ref s, 10, TomlErrorCode.InvalidFloat, out _);
        }

        CheckNumberEnd(ref s, TomlErrorCode.InvalidFloat, "a float");
        return new TomlFloat(ParseDouble(input[start..s.Offset]), position);
    }

    // special-float = [ "-" / "+" ] ( "inf" / "nan" )   (lowercase only; NaN keeps no sign)
    private static TomlFloat ParseSpecialFloat(ref TomlScanner s, bool negative, TomlPosition position)
    {
        bool infinity = s.Peek() == 'i';
        ReadOnlySpan<byte> word = infinity ? "inf"u8 : "nan"u8;
        if (!s.Input[s.Offset..].StartsWith(word))
        {
            s.Fail(TomlErrorCode.InvalidValue, s.Offset, $"expected a value ({ValueKinds}); the special floats are inf and nan (lowercase), and text must be quoted");
        }

        s.Advance(word.Length);
        CheckNumberEnd(ref s, TomlErrorCode.InvalidFloat, "a float");
        double value = infinity ? (negative ? double.NegativeInfinity : double.PositiveInfinity) : double.NaN;
        return new TomlFloat(value, position);
    }

    private static TomlInteger ParseRadixInteger(ref TomlScanner s, TomlPosition position)
    {
        int start = s.Offset;
        int prefix = s.PeekAt(1);
        (int radix, string name) = prefix switch
        {
            'x' => (16, "a hexadecimal"),
            'o' => (8, "an octal"),
            _ => (2, "a binary"),
        };
        s.Advance(2);
        if (DigitValue(s.Peek(), radix) < 0)
        {
            s.Fail(TomlErrorCode.InvalidInteger, s.Offset, $"expected {name} digit after 0{(char)prefix}, found {s.Describe(s.Offset)}");
        }

        ulong magnitude = ScanDigits(ref s, radix, TomlErrorCode.InvalidInteger, out bool overflow);
        if (overflow || magnitude > long.MaxValue)
        {
            string text = Encoding.ASCII.GetString(s.Input[start..s.Offset]);
            s.Fail(TomlErrorCode.InvalidInteger, start, $"integer {text} is out of the 64-bit range (at most {long.MaxValue})");
        }

        CheckNumberEnd(ref s, TomlErrorCode.InvalidInteger, "an integer");
        return new TomlInteger((long)magnitude, position);
    }

    /// <summary>
    /// Reads <c>DIGIT *( DIGIT / "_" DIGIT )</c> in <paramref name="radix"/>, starting on a digit, and
    /// returns the value; <paramref name="overflow"/> is set when it does not fit 64 bits.
    /// </summary>
    private static ulong ScanDigits(ref TomlScanner s, int radix, TomlErrorCode code, out bool overflow)
    {
        ReadOnlySpan<byte> input = s.Input;
        int start = s.Offset;
        int i = start;
        ulong value = 0;
        overflow = false;

        // Below this, value * radix + digit cannot wrap; above it, the number is beyond 2^63 anyway.
        ulong safe = (ulong.MaxValue - (ulong)(radix - 1)) / (ulong)radix;
        while (true)
        {
            int digit = i < input.Length ? DigitValue(input[i], radix) : -1;
            if (digit < 0)
            {
                break;
            }

            if (value > safe)
            {
                overflow = true;
            }
            else
            {
                value = (value * (ulong)radix) + (ulong)digit;
            }

            i++;
            if (i < input.Length && input[i] == '_')
            {
                if (i + 1 >= input.Length || DigitValue(input[i + 1], radix) < 0)
                {
                    s.Fail(code, i, "an underscore in a number must stand between two digits");
                }

                i++;
            }
        }

        s.Advance(i - start);
        return value;
    }

    /// <summary>A number must not run into letters, digits or punctuation that could continue it (<c>1.2.3</c>, <c>0X1F</c>, <c>5kg</c>).</summary>
    private static void CheckNumberEnd(ref TomlScanner s, TomlErrorCode code, string what)
    {
        int b = s.Peek();
        if (IsBareKeyByte(b) || b is '.' or '+' or ':')
        {
            s.Fail(code, s.Offset, $"unexpected {s.Describe(s.Offset)} in {what}");
        }
    }

    /// <summary>True when the decimal digits at <paramref name="offset"/> are followed by a fraction or an exponent.</summary>
    private static bool IsFloatAhead(ReadOnlySpan<byte> input, int offset)
    {
        int i = offset;
        while (i < input.Length && (IsDigit(input[i]) || input[i] == '_'))
        {
            i++;
        }

        return i < input.Length && input[i] is (byte)'.' or (byte)'e' or (byte)'E';
    }

    /// <summary>Converts validated float text (digits, sign, point, exponent, underscores) to the nearest double.</summary>
    private static double ParseDouble(ReadOnlySpan<byte> text)
    {
        if (text.IndexOf((byte)'_') < 0)
        {
            return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        Span<byte> digits = text.Length <= 128 ? stackalloc byte[text.Length] : new byte[text.Length];
        int length = 0;
        foreach (byte b in text)
        {
            if (b != '_')
            {
                digits[length++] = b;
            }
        }

        return double.Parse(digits[..length], NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    private static bool IsDigit(int b) => b is >= '0' and <= '9';

    private static int DigitValue(int b, int radix) => radix == 16
        ? HexDigitValue(b)
        : b >= '0' && b < '0' + radix ? b - '0' : -1;
}
