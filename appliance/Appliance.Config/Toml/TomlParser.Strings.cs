using System.Buffers;
using System.Text;

namespace Appliance.Config.Toml;

public static partial class TomlParser
{
    private const string Escapes = @"\b \t \n \f \r \"" \\ \uXXXX \UXXXXXXXX";

    // Where the plain text of a string stops: at its quote, at a backslash (basic strings only), or at
    // a control character: U+0000-U+0008, U+000A-U+001F (LF and CR among them) and U+007F; tab is text.
    private static readonly SearchValues<byte> BasicStringStops = ControlCharactersAnd("\"\\"u8);
    private static readonly SearchValues<byte> LiteralStringStops = ControlCharactersAnd("'"u8);

    // basic-string = '"' *( basic-unescaped / escaped ) '"'
    //   basic-unescaped = wschar / %x21 / %x23-5B / %x5D-7E / non-ascii   (no control characters)
    //   escaped         = "\" ( '"' / "\" / "b" / "f" / "n" / "r" / "t" / "u" 4HEXDIG / "U" 8HEXDIG )
    private static string ParseBasicString(ref TomlScanner s)
    {
        int start = s.Offset;
        s.Advance();
        s.BeginText();
        while (true)
        {
            AdvanceToAny(ref s, BasicStringStops);
            switch (s.Peek())
            {
                case '"':
                    string text = s.EndText(s.Offset);
                    s.Advance();
                    return text;
                case '\\':
                    s.BreakText();
                    ParseEscape(ref s, multiLine: false);
                    s.ResumeText();
                    break;
                default:
                    throw SingleLineStringError(ref s, start, "\"");
            }
        }
    }

    // literal-string = "'" *literal-char "'"
    //   literal-char = %x09 / %x20-26 / %x28-7E / non-ascii   (no escapes, no control characters)
    private static string ParseLiteralString(ref TomlScanner s)
    {
        int start = s.Offset;
        s.Advance();
        int contentStart = s.Offset;
        AdvanceToAny(ref s, LiteralStringStops);
        if (s.Peek() != '\'')
        {
            throw SingleLineStringError(ref s, start, "'");
        }

        string text = Encoding.UTF8.GetString(s.Input[contentStart..s.Offset]);
        s.Advance();
        return text;
    }

    /// <summary>Why a single-line string that starts at <paramref name="start"/> stopped before its closing quote.</summary>
    private static TomlException SingleLineStringError(ref TomlScanner s, int start, string quote)
    {
        int b = s.Peek();
        if (b == EndOfInput)
        {
            return s.Error(TomlErrorCode.UnexpectedEnd, s.Offset, $"the string that starts at {s.PositionOf(start)} is not closed with {quote}");
        }

        if (b == LineFeed || (b == CarriageReturn && s.PeekAt(1) == LineFeed))
        {
            return s.Error(
                TomlErrorCode.InvalidString,
                s.Offset,
                $"the string that starts at {s.PositionOf(start)} is not closed with {quote} before the end of the line; use a multi-line string ({quote}{quote}{quote}) for text with newlines");
        }

        return ControlCharacterError(ref s, s.Offset, quote == "'" ? "a literal string" : "a string; write it as an escape (\\u0001)");
    }

    // ml-basic-string = '"""' [ newline ] ml-basic-body '"""'
    //
    //   text = """            <- a newline right after the opening """ is dropped
    //   a "quote" or two ""   <- one or two quotes in a row are text
    //   joined \              <- a backslash that ends a line drops the newline and all the
    //     up"""""               whitespace and newlines after it; the last three quotes close
    //                            the string and up to two before them are text:
    //                            'a "quote" or two ""\njoined up""'
    //
    // A CRLF in the text becomes LF (the specification lets parsers normalise newlines).
    private static string ParseMultiLineBasicString(ref TomlScanner s, TomlPosition start) =>
        ParseMultiLineString(ref s, start, (byte)'"');

    // ml-literal-string = "'''" [ newline ] ml-literal-body "'''"   (as above, without escapes)
    private static string ParseMultiLineLiteralString(ref TomlScanner s, TomlPosition start) =>
        ParseMultiLineString(ref s, start, (byte)'\'');

    private static string ParseMultiLineString(ref TomlScanner s, TomlPosition start, byte quote)
    {
        bool basic = quote == '"';
        SearchValues<byte> stops = basic ? BasicStringStops : LiteralStringStops;
        s.Advance(3);
        if (s.Peek() == LineFeed)
        {
            s.NewLine(1);
        }
        else if (s.Peek() == CarriageReturn && s.PeekAt(1) == LineFeed)
        {
            s.NewLine(2);
        }

        s.BeginText();
        while (true)
        {
            AdvanceToAny(ref s, stops);
            int b = s.Peek();
            if (b == quote)
            {
                int run = 1;
                while (s.PeekAt(run) == quote)
                {
                    run++;
                }

                if (run < 3)
                {
                    s.Advance(run);
                    continue;
                }

                if (run > 5)
                {
                    s.Fail(
                        TomlErrorCode.InvalidString,
                        s.Offset + 5,
                        $"too many quotes: at most two may stand right before the closing {(char)quote}{(char)quote}{(char)quote} of the string that starts at {start}");
                }

                // The last three quotes close the string; the ones before them are text.
                string text = s.EndText(s.Offset + run - 3);
                s.Advance(run);
                return text;
            }

            switch (b)
            {
                case '\\':
                    s.BreakText();
                    ParseEscape(ref s, multiLine: true);
                    s.ResumeText();
                    break;
                case LineFeed:
                    s.NewLine(1);
                    break;
                case CarriageReturn when s.PeekAt(1) == LineFeed:
                    s.BreakText();
                    s.AppendText("\n"u8);
                    s.NewLine(2);
                    s.ResumeText();
                    break;
                case EndOfInput:
                    s.Fail(
                        TomlErrorCode.UnexpectedEnd,
                        s.Offset,
                        $"the multi-line string that starts at {start} is not closed with {(char)quote}{(char)quote}{(char)quote}");
                    break;
                default:
                    throw ControlCharacterError(ref s, s.Offset, basic ? "a string; write it as an escape (\\u0001)" : "a literal string");
            }
        }
    }

    // escaped = "\" escape-seq-char, with the cursor on the backslash. In a multi-line basic string a
    // backslash followed by optional whitespace and a newline (mlb-escaped-nl) removes all whitespace
    // and newlines up to the next other character.
    private static void ParseEscape(ref TomlScanner s, bool multiLine)
    {
        int start = s.Offset;
        int b = s.PeekAt(1);
        int unescaped = b switch
        {
            'b' => '\b',
            't' => '\t',
            'n' => '\n',
            'f' => '\f',
            'r' => '\r',
            '"' => '"',
            '\\' => '\\',
            _ => -1,
        };
        if (unescaped >= 0)
        {
            s.AppendText((byte)unescaped);
            s.Advance(2);
            return;
        }

        if (b is 'u' or 'U')
        {
            ParseUnicodeEscape(ref s, b == 'u' ? 4 : 8);
            return;
        }

        if (b == EndOfInput)
        {
            s.Fail(TomlErrorCode.UnexpectedEnd, start, "the input ends inside an escape sequence");
        }

        if (multiLine && TrySkipLineEndingBackslash(ref s))
        {
            return;
        }

        string found = b is >= 0x21 and < 0x7F ? $"\\{(char)b}" : $"a backslash followed by {s.Describe(start + 1)}";
        string hint = b is 'e' or 'x'
            ? $"; \\{(char)b} is new in TOML 1.1, and TOML 1.0 allows only {Escapes}"
            : $"; TOML 1.0 allows only {Escapes}";
        if (multiLine && b is Space or Tab)
        {
            hint += ", or a backslash at the very end of a line";
        }

        s.Fail(TomlErrorCode.InvalidString, start, $"invalid escape sequence: {found}{hint}");
    }

    // mlb-escaped-nl = "\" ws newline *( wschar / newline )
    private static bool TrySkipLineEndingBackslash(ref TomlScanner s)
    {
        int ahead = 1;
        int b;
        while ((b = s.PeekAt(ahead)) is Space or Tab)
        {
            ahead++;
        }

        if (b != LineFeed && !(b == CarriageReturn && s.PeekAt(ahead + 1) == LineFeed))
        {
            return false;
        }

        s.Advance(ahead);
        while (true)
        {
            SkipWhitespace(ref s);
            if (s.Peek() is not (LineFeed or CarriageReturn) || !TryConsumeNewline(ref s))
            {
                return true;
            }
        }
    }

    // "\u" 4HEXDIG / "\U" 8HEXDIG: a Unicode scalar value (not a surrogate, at most U+10FFFF).
    private static void ParseUnicodeEscape(ref TomlScanner s, int digits)
    {
        int start = s.Offset;
        ReadOnlySpan<byte> input = s.Input;
        uint value = 0;
        for (int i = 0; i < digits; i++)
        {
            int at = start + 2 + i;
            int digit = at < input.Length ? HexDigitValue(input[at]) : -1;
            if (digit < 0)
            {
                s.Fail(
                    at < input.Length ? TomlErrorCode.InvalidString : TomlErrorCode.UnexpectedEnd,
                    at,
                    $"expected {digits} hexadecimal digits after \\{(char)input[start + 1]} in the escape sequence, found {s.Describe(at)}");
            }

            value = (value << 4) | (uint)digit;
        }

        if (!Rune.IsValid(value))
        {
            string what = value is >= 0xD800 and <= 0xDFFF ? "is a surrogate code point" : "is beyond U+10FFFF";
            s.Fail(
                TomlErrorCode.InvalidString,
                start,
                $"the escape {Encoding.ASCII.GetString(input.Slice(start, digits + 2))} {what}, not a Unicode scalar value");
        }

        s.AppendText(new Rune(value));
        s.Advance(digits + 2);
    }

    private static int HexDigitValue(int b) => b switch
    {
        >= '0' and <= '9' => b - '0',
        >= 'a' and <= 'f' => b - 'a' + 10,
        >= 'A' and <= 'F' => b - 'A' + 10,
        _ => -1,
    };
}
