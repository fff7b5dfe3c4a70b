using System.Runtime.CompilerServices;

namespace Appliance.Config.Toml;

public static partial class TomlParser
{
    private const string ValueKinds = "a string, number, boolean, date-time, array or inline table";
    private const string BooleanHint = "booleans are written true or false (lowercase), and text must be quoted, as in \"text\"";

    // val = string / boolean / array / inline-table / date-time / float / integer
    //
    // The first byte decides: " or ' a string, t/f a boolean, [ an array, { an inline table, and a
    // digit, sign, i(nf) or n(an) a number or date-time. level is the nesting level of the value.
    private static TomlValue ParseValue(ref TomlScanner s, int level)
    {
        int start = s.Offset;
        TomlPosition position = s.Position;
        int b = s.Peek();
        switch (b)
        {
            case '"':
                return new TomlString(s.PeekAt(1) == '"' && s.PeekAt(2) == '"' ? ParseMultiLineBasicString(ref s, position) : ParseBasicString(ref s), position);
            case '\'':
                return new TomlString(s.PeekAt(1) == '\'' && s.PeekAt(2) == '\'' ? ParseMultiLineLiteralString(ref s, position) : ParseLiteralString(ref s), position);
            case 't':
                ExpectBoolean(ref s, "true"u8);
                return new TomlBoolean(true, position);
            case 'f':
                ExpectBoolean(ref s, "false"u8);
                return new TomlBoolean(false, position);
            case '[':
                return ParseArray(ref s, level, position);
            case '{':
                return ParseInlineTable(ref s, level, position);
            case (>= '0' and <= '9') or '+' or '-' or 'i' or 'n':
                return LooksLikeDateOrTime(s.Input, start)
                    ? ParseDateTime(ref s, position)
                    : ParseNumber(ref s, position);
            default:
                throw NoValue(ref s, start);
        }
    }

    /// <summary>The error for a value that is missing or starts with a character no value starts with.</summary>
    private static TomlException NoValue(ref TomlScanner s, int start)
    {
        int b = s.Peek();
        string expected = $"expected a value ({ValueKinds})";
        if (b is EndOfInput or LineFeed or CarriageReturn or '#' || IsControl(b))
        {
            FailUnexpected(ref s, start, expected);
        }

        string hint = IsBareKeyByte(b) || b >= 0x80 ? "; text must be quoted, as in \"text\"" : string.Empty;
        return s.Error(TomlErrorCode.InvalidValue, start, $"{expected}, found {s.Describe(start)}{hint}");
    }

    /// <summary>Consumes <c>true</c> or <c>false</c>, which must not be the start of a longer word.</summary>
    private static void ExpectBoolean(ref TomlScanner s, ReadOnlySpan<byte> word)
    {
        int start = s.Offset;
        if (!s.Input[start..].StartsWith(word) || IsBareKeyByte(s.PeekAt(word.Length)))
        {
            s.Fail(TomlErrorCode.InvalidValue, start, $"expected a value ({ValueKinds}), found {s.Describe(start)}; {BooleanHint}");
        }

        s.Advance(word.Length);
    }

    // array        = "[" [ array-values ] ws-comment-newline "]"
    // array-values = ws-comment-newline val ws-comment-newline [ "," [ array-values ] ]
    //
    //   ports = [ 502, 503,   # comments and newlines may appear between the values,
    //             504, ]      # and one trailing comma is allowed; types may be mixed.
    private static TomlArray ParseArray(ref TomlScanner s, int level, TomlPosition position)
    {
        var array = new TomlArray(position);
        EnsureStack(ref s);
        s.Advance();
        while (true)
        {
            SkipWhitespaceCommentsAndNewlines(ref s);
            if (s.Peek() == ']')
            {
                s.Advance();
                return array;
            }

            CheckLevel(ref s, level + 1, s.Offset);
            array.Add(ParseValue(ref s, level + 1));
            SkipWhitespaceCommentsAndNewlines(ref s);
            switch (s.Peek())
            {
                case ',':
                    s.Advance();
                    break;
                case ']':
                    s.Advance();
                    return array;
                default:
                    FailUnexpected(ref s, s.Offset, $"expected ',' or ']' in the array that starts at {position}");
                    break;
            }
        }
    }

    // inline-table = "{" ws [ keyval ws *( "," ws keyval ws ) ] "}"
    //
    //   endpoint = { host = "10.0.0.2", port = 502 }    # one line, no trailing comma (TOML 1.0)
    private static TomlTable ParseInlineTable(ref TomlScanner s, int level, TomlPosition position)
    {
        var table = new TomlTable(position, TomlTableOrigin.Inline);
        EnsureStack(ref s);
        s.Advance();
        SkipWhitespace(ref s);
        if (s.Peek() == '}')
        {
            s.Advance();
            return table;
        }

        while (true)
        {
            SkipWhitespace(ref s);
            int b = s.Peek();
            if (b == '}')
            {
                s.Fail(TomlErrorCode.UnexpectedCharacter, s.Offset, "a trailing comma is not allowed in an inline table (TOML 1.0)");
            }

            CheckInlineTableContinues(ref s, position, "expected a key");
            ParseKeyValue(ref s, table, level);
            SkipWhitespace(ref s);
            switch (s.Peek())
            {
                case ',':
                    s.Advance();
                    break;
                case '}':
                    s.Advance();
                    return table;
                default:
                    CheckInlineTableContinues(ref s, position, "expected ',' or '}'");
                    FailUnexpected(ref s, s.Offset, $"expected ',' or '}}' in the inline table that starts at {position}");
                    break;
            }
        }
    }

    /// <summary>Inline tables are one line: a newline or a comment inside one gets its own message.</summary>
    private static void CheckInlineTableContinues(ref TomlScanner s, TomlPosition position, string expected)
    {
        int b = s.Peek();
        if (b is LineFeed or CarriageReturn or '#')
        {
            s.Fail(
                TomlErrorCode.UnexpectedCharacter,
                s.Offset,
                $"{expected}, found {s.Describe(s.Offset)}: the inline table that starts at {position} must be closed with '}}' on the same line (TOML 1.0)");
        }
    }

    /// <summary>
    /// The levels are checked against <see cref="TomlLimits.MaxDepth"/> before descending; this also stops
    /// a generous MaxDepth from exhausting a small thread stack.
    /// </summary>
    private static void EnsureStack(ref TomlScanner s)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            FailTooDeep(ref s, s.Offset);
        }
    }
}
