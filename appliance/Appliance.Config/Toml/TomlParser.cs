using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace Appliance.Config.Toml;

/// <summary>
/// A TOML 1.0.0 parser (https://toml.io/en/v1.0.0) over UTF-8 bytes. It is strict: anything the
/// specification does not allow is rejected with a <see cref="TomlException"/> that says what is
/// wrong and where (line and column).
/// </summary>
/// <remarks>
/// The parser is a recursive descent over the bytes, with one byte of lookahead and no tokenizer.
/// Recursion happens only for arrays and inline tables, and the nesting level is checked against
/// <see cref="TomlLimits.MaxDepth"/> before descending, so hostile input cannot exhaust the stack. Every
/// byte is looked at a bounded number of times, so the work is linear in the size of the input.
/// The grammar is split by topic: documents and lines here; keys, tables, values, strings, numbers,
/// date-times and UTF-8 in the other parts of this class.
/// </remarks>
public static partial class TomlParser
{
    private const byte Space = (byte)' ';
    private const byte Tab = (byte)'\t';
    private const byte LineFeed = (byte)'\n';
    private const byte CarriageReturn = (byte)'\r';
    private const int EndOfInput = -1;

    // Where a comment stops: at a control character (U+0000-U+0008, U+000A-U+001F, U+007F), LF and CR among them.
    private static readonly SearchValues<byte> CommentStops = ControlCharactersAnd(default);

    /// <summary>Parses a TOML document.</summary>
    /// <exception cref="TomlException">The input is not valid TOML 1.0.0 or breaks a limit.</exception>
    public static TomlTable Parse(ReadOnlySpan<byte> utf8, TomlLimits? limits = null)
    {
        limits ??= TomlLimits.Default;
        if (utf8.Length > limits.MaxInputBytes)
        {
            TomlException.Throw(
                TomlErrorCode.InputTooLarge,
                new TomlPosition(1, 1),
                $"the document is {utf8.Length} bytes long; the limit is {limits.MaxInputBytes} bytes");
        }

        // A single UTF-8 byte-order mark is not part of the document (toml-test treats it as valid).
        int start = utf8.StartsWith("\uFEFF"u8) ? 3 : 0;
        ValidateUtf8(utf8, start);

        var scanner = new TomlScanner(utf8, start, limits.MaxDepth);
        return ParseDocument(ref scanner);
    }

    /// <summary>Parses a TOML document; on failure returns false and the reason instead of throwing.</summary>
    public static bool TryParse(
        ReadOnlySpan<byte> utf8,
        [NotNullWhen(true)] out TomlTable? document,
        [NotNullWhen(false)] out TomlException? error,
        TomlLimits? limits = null)
    {
        try
        {
            document = Parse(utf8, limits);
            error = null;
            return true;
        }
        catch (TomlException exception)
        {
            document = null;
            error = exception;
            return false;
        }
    }

    // toml       = expression *( newline expression )
    // expression =  ws [ comment ]
    // expression =/ ws keyval ws [ comment ]
    // expression =/ ws table ws [ comment ]
    private static TomlTable ParseDocument(ref TomlScanner s)
    {
        var root = new TomlTable(s.Position, TomlTableOrigin.Root);
        var section = new TomlSection(root, 0);
        while (!s.AtEnd)
        {
            SkipWhitespace(ref s);
            switch (s.Peek())
            {
                case '[':
                    section = ParseTableHeader(ref s, root);
                    FinishLine(ref s, "the table header");
                    break;
                case '#' or LineFeed or CarriageReturn or EndOfInput:
                    FinishLine(ref s, "the whitespace");
                    break;
                default:
                    ParseKeyValue(ref s, section.Table, section.Level);
                    FinishLine(ref s, "the value");
                    break;
            }
        }

        return root;
    }

    /// <summary>
    /// The end of an expression: <c>ws [ comment ] ( newline / end of input )</c>. Consumes the newline.
    /// </summary>
    private static void FinishLine(ref TomlScanner s, string after)
    {
        SkipWhitespace(ref s);
        if (s.Peek() == '#')
        {
            SkipComment(ref s);
        }

        if (!TryConsumeNewline(ref s) && !s.AtEnd)
        {
            FailUnexpected(ref s, s.Offset, $"expected a newline or a comment after {after}");
        }
    }

    // ws = *wschar ; wschar = %x20 / %x09   (space and tab only)
    private static void SkipWhitespace(ref TomlScanner s)
    {
        int b;
        while ((b = s.Peek()) == Space || b == Tab)
        {
            s.Advance();
        }
    }

    // comment = "#" *non-eol ; non-eol = %x09 / %x20-7E / non-ascii
    // Stops before the newline that ends the comment.
    private static void SkipComment(ref TomlScanner s)
    {
        s.Advance();
        AdvanceToAny(ref s, CommentStops);
        int b = s.Peek();
        if (b is not (EndOfInput or LineFeed) && !(b == CarriageReturn && s.PeekAt(1) == LineFeed))
        {
            throw ControlCharacterError(ref s, s.Offset, "a comment");
        }
    }

    // newline = %x0A / %x0D.0A  (LF or CRLF; a CR on its own is not a line ending)
    private static bool TryConsumeNewline(ref TomlScanner s)
    {
        switch (s.Peek())
        {
            case LineFeed:
                s.NewLine(1);
                return true;
            case CarriageReturn when s.PeekAt(1) == LineFeed:
                s.NewLine(2);
                return true;
            case CarriageReturn:
                FailBareCarriageReturn(ref s, s.Offset);
                return false;
            default:
                return false;
        }
    }

    // ws-comment-newline = *( wschar / [ comment ] newline )   (used inside arrays)
    private static void SkipWhitespaceCommentsAndNewlines(ref TomlScanner s)
    {
        while (true)
        {
            SkipWhitespace(ref s);
            if (s.Peek() == '#')
            {
                SkipComment(ref s);
            }

            if (!TryConsumeNewline(ref s))
            {
                return;
            }
        }
    }

    private static bool IsControl(int b) => b is >= 0 and < 0x20 and not Tab or 0x7F;

    /// <summary>The control characters TOML forbids in comments and strings (all but tab), and <paramref name="others"/>.</summary>
    private static SearchValues<byte> ControlCharactersAnd(ReadOnlySpan<byte> others)
    {
        var stops = new List<byte>(others.ToArray());
        for (int b = 0; b <= 0x7F; b++)
        {
            if (IsControl(b))
            {
                stops.Add((byte)b);
            }
        }

        return SearchValues.Create(stops.ToArray());
    }

    /// <summary>Moves the cursor to the next byte in <paramref name="stops"/>, or to the end of the input.</summary>
    private static void AdvanceToAny(ref TomlScanner s, SearchValues<byte> stops)
    {
        int found = s.Input[s.Offset..].IndexOfAny(stops);
        s.Advance(found < 0 ? s.Input.Length - s.Offset : found);
    }

    /// <summary>
    /// Fails at <paramref name="offset"/> with the code that fits what is there: the end of the input,
    /// a control character, or any other character.
    /// </summary>
    [DoesNotReturn]
    private static void FailUnexpected(ref TomlScanner s, int offset, string expected)
    {
        int b = offset < s.Input.Length ? s.Input[offset] : EndOfInput;
        if (b == CarriageReturn && (offset + 1 >= s.Input.Length || s.Input[offset + 1] != LineFeed))
        {
            FailBareCarriageReturn(ref s, offset);
        }

        TomlErrorCode code = b switch
        {
            EndOfInput => TomlErrorCode.UnexpectedEnd,
            LineFeed or CarriageReturn => TomlErrorCode.UnexpectedCharacter,
            _ when IsControl(b) => TomlErrorCode.ControlCharacter,
            _ => TomlErrorCode.UnexpectedCharacter,
        };
        s.Fail(code, offset, $"{expected}, found {s.Describe(offset)}");
    }

    [DoesNotReturn]
    private static void FailBareCarriageReturn(ref TomlScanner s, int offset) =>
        s.Fail(
            TomlErrorCode.ControlCharacter,
            offset,
            "a carriage return (CR) must be followed by a line feed (LF): lines end with LF or CRLF");

    /// <summary>The error for a control character (or a CR without LF) at <paramref name="offset"/> inside <paramref name="where"/>.</summary>
    private static TomlException ControlCharacterError(ref TomlScanner s, int offset, string where)
    {
        if (s.Input[offset] == CarriageReturn)
        {
            FailBareCarriageReturn(ref s, offset);
        }

        return s.Error(TomlErrorCode.ControlCharacter, offset, $"{s.Describe(offset)} is not allowed in {where}");
    }

    [DoesNotReturn]
    private static void FailTooDeep(ref TomlScanner s, int offset) =>
        s.Fail(
            TomlErrorCode.NestingTooDeep,
            offset,
            $"nesting deeper than {s.MaxDepth} levels (arrays, inline tables and dotted keys); flatten the structure");
}
