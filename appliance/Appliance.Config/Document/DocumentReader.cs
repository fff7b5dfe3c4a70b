using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.RegularExpressions;
using Tomlyn;
using Tomlyn.Parsing;
using Tomlyn.Serialization;
using Tomlyn.Syntax;
using Tomlyn.Text;

namespace Appliance.Config.Document;

/// <summary>
/// Reads the bytes of a configuration file into a <see cref="DocumentTable"/> with Tomlyn's syntax parser
/// (<see cref="SyntaxParser"/>, TOML 1.1, no reflection), and is the thin layer in front of it that keeps
/// the promises Tomlyn does not keep by itself. Every problem comes back as a <see cref="ConfigDiagnostic"/>
/// with its line and column; nothing a file contains makes it throw.
/// </summary>
/// <remarks>
/// What this layer adds to Tomlyn, and why:
/// <list type="bullet">
/// <item>The size cap (<see cref="MaxInputBytes"/>), before anything is decoded, and a cap on the number of
/// tokens (<see cref="MaxTokens"/>) before Tomlyn builds its syntax tree, which bounds the memory the tree takes.</item>
/// <item>UTF-8 is checked on the bytes, with the position and reason of the first bad sequence (Tomlyn reads
/// .NET strings, so it never sees the bytes).</item>
/// <item>Nesting deeper than <see cref="MaxDepth"/>: Tomlyn refuses deep arrays and inline tables, but its
/// syntax parser says so without a position; the position is then taken from Tomlyn's <see cref="TomlReader"/>,
/// which reports it. Deep dotted keys and table headers, which Tomlyn accepts, are refused by <see cref="DocumentBuilder"/>.</item>
/// <item>Fractional seconds past the seventh digit: Tomlyn refuses them, TOML says they are truncated. Such a
/// date-time is truncated to seven digits (100 ns, the precision of <see cref="DateTimeOffset"/>) in the text,
/// padded with spaces so that every position stays, and the text is parsed again.</item>
/// <item>U+FFFD written in a string or comment: Tomlyn takes it for the mark of a broken surrogate pair and
/// refuses the file. It is parsed as a noncharacter the file does not contain, and turned back in every string.</item>
/// <item>An input that ends inside an escape sequence (<c>"abc\</c>, <c>"\u12</c>) makes Tomlyn throw while it words the
/// error; a newline is added after it, so that Tomlyn reports it (see <see cref="EndsInsideEscape"/>).</item>
/// <item>Out-of-range hexadecimal and binary integers, which Tomlyn wraps around (<see cref="DocumentBuilder"/>).</item>
/// <item>Messages: Tomlyn's redefinition message and its depth message (which names a .NET option) are said
/// in the configuration's words; an error Tomlyn places at the end of the input gets the end's position.</item>
/// </list>
/// A leading byte-order mark is left to Tomlyn, which skips exactly one.
/// </remarks>
internal static partial class DocumentReader
{
    /// <summary>Deepest nesting, counting every key segment, table header segment and array or inline-table level.</summary>
    public const int MaxDepth = 64;

    /// <summary>Largest accepted input in bytes (a leading UTF-8 byte-order mark included).</summary>
    public const int MaxInputBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Most TOML tokens (keys, values, punctuation, whitespace runs, comments, line breaks) a file may hold.
    /// Tomlyn's syntax tree keeps every token as objects, about 250 bytes each: 4 MiB of one-character tokens
    /// would need more than 1 GB. 500,000 tokens is at most about 125 MB, and the shipped example, commented
    /// throughout, has 650; a file of dense tag sections reaches the limit at about 1.6 MB (some 25,000 tags).
    /// </summary>
    public const int MaxTokens = 500_000;

    public const string TooDeep = "nesting deeper than 64 levels (arrays, inline tables and dotted keys); flatten the structure";

    /// <summary>Syntax errors reported at most: a file that is not TOML at all would otherwise give one per line.</summary>
    private const int MaxSyntaxErrors = 100;

    private const char ReplacementCharacter = '\uFFFD';

    // Tomlyn counts the root table as level 1 and every array and inline table as one more. One more than
    // MaxDepth lets through every array the builder's rule allows (the 65th nested '[' is the first it refuses),
    // and still bounds Tomlyn's recursion.
    private static readonly TomlSerializerOptions TomlynOptions = new() { MaxDepth = MaxDepth + 1 };

    /// <summary>Reads <paramref name="utf8"/>; <paramref name="fileName"/> is only used in diagnostics.</summary>
    public static bool TryRead(
        ReadOnlySpan<byte> utf8,
        string fileName,
        [NotNullWhen(true)] out DocumentTable? document,
        out IReadOnlyList<ConfigDiagnostic> problems)
    {
        document = null;
        var found = new List<ConfigDiagnostic>();
        problems = found;
        if (utf8.Length > MaxInputBytes)
        {
            found.Add(new ConfigDiagnostic(fileName, 1, 1, $"the document is {utf8.Length:N0} bytes long; a configuration file may be at most {MaxInputBytes:N0} bytes ({MaxInputBytes >> 20} MiB)"));
            return false;
        }

        if (FindInvalidUtf8(utf8) is ({ } position, string problem))
        {
            found.Add(new ConfigDiagnostic(fileName, position.Line, position.Column, problem));
            return false;
        }

        string text = Encoding.UTF8.GetString(utf8);
        int length = text.Length;
        if (EndsInsideEscape().IsMatch(text))
        {
            text += "\n";
        }

        char stand = text.Contains(ReplacementCharacter, StringComparison.Ordinal) ? AbsentNoncharacter(text) : ReplacementCharacter;
        if (stand != ReplacementCharacter)
        {
            text = text.Replace(ReplacementCharacter, stand);
        }

        if (FindTokenBudgetEnd(text) is (TomlPosition crowded, int offset))
        {
            // Arrays or inline tables nested too deep before that point are the first problem, and the one to report.
            found.Add(FirstReaderRefusal(text[..offset]) is ({ } deep, TooDeep) && (deep.Line, deep.Column).CompareTo((crowded.Line, crowded.Column)) < 0
                ? new ConfigDiagnostic(fileName, deep.Line, deep.Column, TooDeep)
                : new ConfigDiagnostic(fileName, crowded.Line, crowded.Column, $"the file holds more than {MaxTokens:N0} TOML tokens (keys, values, punctuation, comments and line breaks); a configuration may hold at most that many: remove what is not needed or split the plant over several gateways"));
            return false;
        }

        DocumentSyntax? syntax = Parse(text, fileName, found);
        if (syntax is not null && syntax.HasErrors && TruncateLongFractions(text, syntax) is string truncated)
        {
            text = truncated;
            syntax = Parse(text, fileName, found);
        }

        if (syntax is null)
        {
            return false;
        }

        if (syntax.HasErrors)
        {
            ReportSyntaxErrors(syntax, text.AsSpan(0, length), fileName, stand, found);
            return false;
        }

        if (stand != ReplacementCharacter)
        {
            RestoreReplacementCharacters(syntax, stand);
        }

        DocumentTable root = DocumentBuilder.Build(syntax, fileName, found);
        if (found.Count > 0)
        {
            return false;
        }

        document = root;
        return true;
    }

    /// <summary>
    /// Where the text passes <see cref="MaxTokens"/> (position and offset), counted with Tomlyn's own lexer (a
    /// pass that keeps nothing); null when it does not. The lexer reads everything as if it were keys, which splits a few
    /// values into more tokens than the parser makes (<c>1.5</c> is three): the count errs on the high side.
    /// </summary>
    private static (TomlPosition Position, int Offset)? FindTokenBudgetEnd(string text)
    {
        if (text.Length < MaxTokens)
        {
            return null;
        }

        TomlLexer lexer = TomlLexer.Create(text);
        for (int count = 1; lexer.MoveNext(); count++)
        {
            if (count > MaxTokens)
            {
                TomlTextPosition start = lexer.Current.Start;
                return (new TomlPosition(start.Line + 1, start.Column + 1), start.Offset);
            }
        }

        return null;
    }

    /// <summary>Tomlyn's syntax tree, validated; null (and the positioned problem) when Tomlyn refused the nesting.</summary>
    private static DocumentSyntax? Parse(string text, string fileName, List<ConfigDiagnostic> found)
    {
        try
        {
            return SyntaxParser.Parse(text, TomlynOptions, fileName, validate: true);
        }
        catch (TomlException)
        {
            // The syntax parser throws only when arrays and inline tables nest too deep, and without a position.
            (TomlPosition position, string message) = FirstReaderRefusal(text) ?? (new TomlPosition(1, 1), TooDeep);
            found.Add(new ConfigDiagnostic(fileName, position.Line, position.Column, message));
            return null;
        }
    }

    /// <summary>
    /// The first refusal of Tomlyn's event reader, with its position: it counts the levels the syntax parser
    /// counts (and table levels too, so it stops at the same place or before it), and says where. Null when
    /// it reads the text to the end.
    /// </summary>
    private static (TomlPosition Position, string Message)? FirstReaderRefusal(string text)
    {
        try
        {
            TomlReader reader = TomlReader.Create(text, TomlynOptions);
            while (reader.Read())
            {
            }
        }
        catch (TomlException error) when (error.Line is int line && error.Column is int column)
        {
            string message = error.Diagnostics.Count > 0 ? error.Diagnostics[0].Message : error.Message;
            return (new TomlPosition(line, column), Reword(message));
        }
        catch (TomlException)
        {
        }

        return null;
    }

    private static void ReportSyntaxErrors(DocumentSyntax syntax, ReadOnlySpan<char> text, string fileName, char stand, List<ConfigDiagnostic> found)
    {
        TomlPosition? end = null;
        int reported = 0;
        foreach (DiagnosticMessage diagnostic in syntax.Diagnostics)
        {
            if (diagnostic.Kind != DiagnosticMessageKind.Error)
            {
                continue;
            }

            if (reported++ == MaxSyntaxErrors)
            {
                found.Add(new ConfigDiagnostic(fileName, found[^1].Line, found[^1].Column, $"and {syntax.Diagnostics.Count - MaxSyntaxErrors:N0} more problems; correct these first"));
                break;
            }

            TextPosition start = diagnostic.Span.Start;
            string message = Reword(diagnostic.Message);
            if (stand != ReplacementCharacter)
            {
                message = message.Replace(stand, ReplacementCharacter);
            }

            // Tomlyn gives the end-of-input token no position: it would read as 1:1. Past the end is the newline
            // added against EndsInsideEscape.
            TomlPosition position = start.Offset >= text.Length || (start.Offset <= 0 && message.Contains("`<eof>`", StringComparison.Ordinal))
                ? end ??= EndOf(text)
                : new TomlPosition(Math.Max(0, start.Line) + 1, Math.Max(0, start.Column) + 1);
            found.Add(new ConfigDiagnostic(fileName, position.Line, position.Column, message));
        }
    }

    /// <summary>
    /// Tomlyn's message with any control character it quotes from the file written as U+XXXX, or ours where
    /// Tomlyn's speaks of its own API or only of paths.
    /// </summary>
    private static string Reword(string message)
    {
        if (message.Contains("maximum depth", StringComparison.Ordinal))
        {
            return TooDeep;
        }

        Match redefined = Redefinition().Match(message);
        if (!redefined.Success)
        {
            return message.Any(char.IsControl)
                ? string.Concat(message.Select(c => char.IsControl(c) ? $"U+{(int)c:X4}" : c.ToString()))
                : message;
        }

        // Tomlyn's path names array elements as .[N]; the file names them by the header alone.
        string path = ArrayIndex().Replace(redefined.Groups["path"].Value, string.Empty);
        string first = $"{redefined.Groups["line"].Value}:{redefined.Groups["column"].Value}";
        if (redefined.Groups["first"].Value.StartsWith('['))
        {
            return $"table [{path}] is defined twice: first at {first}; write its keys under one header";
        }

        int dot = path.LastIndexOf('.');
        return dot < 0
            ? $"duplicate key \"{path}\": it was first defined at {first}; remove or rename one of them"
            : $"duplicate key \"{path[(dot + 1)..]}\" in [{path[..dot]}]: it was first defined at {first}; remove or rename one of them";
    }

    /// <summary>
    /// The text with every date-time Tomlyn refused only for having more than seven fractional digits cut to
    /// seven and padded with spaces (a value may always be followed by whitespace); null when there is none.
    /// </summary>
    private static string? TruncateLongFractions(string text, DocumentSyntax syntax)
    {
        char[]? edited = null;
        foreach (DiagnosticMessage diagnostic in syntax.Diagnostics)
        {
            int start = diagnostic.Span.Start.Offset;
            int end = diagnostic.Span.End.Offset;
            if (start < 0 || end < start || end >= text.Length)
            {
                continue;
            }

            Match literal = LongFraction().Match(text, start, end - start + 1);
            if (literal.Success)
            {
                edited ??= text.ToCharArray();
                Group extra = literal.Groups["extra"];
                Group offset = literal.Groups["offset"];
                offset.ValueSpan.CopyTo(edited.AsSpan(extra.Index));
                edited.AsSpan(extra.Index + offset.Length, extra.Length).Fill(' ');
            }
        }

        return edited is null ? null : new string(edited);
    }

    private static void RestoreReplacementCharacters(DocumentSyntax syntax, char stand)
    {
        foreach (SyntaxNodeBase node in syntax.Descendants())
        {
            if (node is StringValueSyntax { Value: string value } text && value.Contains(stand, StringComparison.Ordinal))
            {
                text.Value = value.Replace(stand, ReplacementCharacter);
            }
        }
    }

    /// <summary>A noncharacter (U+FDD0..U+FDEF) that <paramref name="text"/> does not contain, or U+FFFD when it holds all 32.</summary>
    private static char AbsentNoncharacter(string text)
    {
        for (char candidate = '\uFDD0'; candidate <= '\uFDEF'; candidate++)
        {
            if (!text.Contains(candidate, StringComparison.Ordinal))
            {
                return candidate;
            }
        }

        return ReplacementCharacter;
    }

    /// <summary>The position just past the last character: where the input ends.</summary>
    private static TomlPosition EndOf(ReadOnlySpan<char> text)
    {
        ReadOnlySpan<char> document = text[(text.StartsWith("\uFEFF") ? 1 : 0)..];
        ReadOnlySpan<char> lastLine = document[(document.LastIndexOf('\n') + 1)..];
        int column = 1 + lastLine.Length;
        foreach (char c in lastLine)
        {
            column -= char.IsLowSurrogate(c) ? 1 : 0;
        }

        return new TomlPosition(document.Count('\n') + 1, column);
    }

    // Tomlyn 2.11.1 throws ArgumentOutOfRangeException while it words the error for an escape sequence cut
    // short by the end of the input ("\", "\u12"): it formats the end-of-input marker as a character. With a
    // newline after it, the escape ends on a character and Tomlyn reports it; a text ending in a backslash
    // means the same with or without the newline (in a comment), or is invalid either way.
    [GeneratedRegex(@"\\(?:u[0-9A-Fa-f]{0,3}|U[0-9A-Fa-f]{0,7})?\z", RegexOptions.CultureInvariant)]
    private static partial Regex EndsInsideEscape();

    [GeneratedRegex(@"^The key `(?<path>.*)` is already defined at \((?<line>\d+),(?<column>\d+)\) with `(?<first>.*)` and cannot be redefined$", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Redefinition();

    [GeneratedRegex(@"\.\[\d+\]", RegexOptions.CultureInvariant)]
    private static partial Regex ArrayIndex();

    // RFC 3339 as TOML writes it (local time, local date-time or offset date-time), with eight or more
    // fractional digits: the seven kept, the rest ("extra"), and the offset that follows them.
    [GeneratedRegex(@"\G(?:\d{4}-\d{2}-\d{2}[Tt ])?\d{2}:\d{2}:\d{2}\.\d{7}(?<extra>\d+)(?<offset>[Zz]|[+-]\d{2}:\d{2})?\z", RegexOptions.CultureInvariant)]
    private static partial Regex LongFraction();
}
