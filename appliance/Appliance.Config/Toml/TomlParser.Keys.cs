using System.Globalization;
using System.Text;

namespace Appliance.Config.Toml;

public static partial class TomlParser
{
    // key          = simple-key / dotted-key
    // dotted-key   = simple-key 1*( dot-sep simple-key )      dot-sep = ws "." ws
    // simple-key   = quoted-key / unquoted-key
    //
    //   server . "host name" . 'ipv4'
    //   ^bare    ^basic string  ^literal string
    //
    // Fills s.Key with the segments and skips the whitespace after the last one. Every segment is a
    // nesting level: baseLevel is the level of the table the key is written in.
    private static void ParseKey(ref TomlScanner s, int baseLevel)
    {
        List<TomlKeySegment> key = s.Key;
        key.Clear();
        while (true)
        {
            int offset = s.Offset;
            if (baseLevel + key.Count + 1 > s.MaxDepth)
            {
                FailTooDeep(ref s, offset);
            }

            TomlPosition position = s.Position;
            string name = ParseSimpleKey(ref s, afterDot: key.Count > 0);
            key.Add(new TomlKeySegment(name, offset, position));
            SkipWhitespace(ref s);
            if (s.Peek() != '.')
            {
                return;
            }

            s.Advance();
            SkipWhitespace(ref s);
        }
    }

    // unquoted-key = 1*( ALPHA / DIGIT / %x2D / %x5F )    ; A-Z a-z 0-9 - _
    // quoted-key   = basic-string / literal-string        ; single-line only, may be empty
    private static string ParseSimpleKey(ref TomlScanner s, bool afterDot)
    {
        int start = s.Offset;
        int b = s.Peek();
        if (IsBareKeyByte(b))
        {
            ReadOnlySpan<byte> input = s.Input;
            int end = start + 1;
            while (end < input.Length && IsBareKeyByte(input[end]))
            {
                end++;
            }

            s.Advance(end - start);
            int next = s.Peek();
            if (next >= 0x80 || (next > Space && next < 0x7F && next is not ('=' or '.' or ']' or ',' or '}' or '#')))
            {
                s.Fail(
                    TomlErrorCode.InvalidKey,
                    end,
                    $"{s.Describe(end)} cannot be part of a bare key; bare keys may contain only A-Z, a-z, 0-9, '-' and '_' (quote the key to use other characters)");
            }

            return Encoding.UTF8.GetString(input[start..end]);
        }

        if (b is '"' or '\'')
        {
            if (s.PeekAt(1) == b && s.PeekAt(2) == b)
            {
                s.Fail(TomlErrorCode.InvalidKey, start, "a multi-line string cannot be a key; use a single-line quoted key");
            }

            return b == '"' ? ParseBasicString(ref s) : ParseLiteralString(ref s);
        }

        string expected = afterDot ? "expected a key after '.'" : "expected a key";
        if (b >= 0x80 || b is > Space and < 0x7F and not ('=' or '.' or '[' or ']' or '{' or '}' or ',' or '#'))
        {
            s.Fail(
                TomlErrorCode.InvalidKey,
                start,
                $"{expected}, found {s.Describe(start)}; bare keys may contain only A-Z, a-z, 0-9, '-' and '_' (quote the key to use other characters)");
        }

        if (b is EndOfInput || IsControl(b))
        {
            FailUnexpected(ref s, start, expected);
        }

        throw s.Error(TomlErrorCode.InvalidKey, start, $"{expected}, found {s.Describe(start)}");
    }

    private static bool IsBareKeyByte(int b) => b is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_';

    /// <summary>The first <paramref name="count"/> segments of a key as TOML would write them: <c>a."b c".d</c>.</summary>
    private static string FormatKey(List<TomlKeySegment> key, int count)
    {
        var text = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            if (i > 0)
            {
                text.Append('.');
            }

            string name = key[i].Name;
            bool bare = name.Length > 0;
            foreach (char c in name)
            {
                bare &= IsBareKeyByte(c);
            }

            if (bare)
            {
                text.Append(name);
                continue;
            }

            text.Append('"');
            foreach (char c in name)
            {
                if (c is '"' or '\\')
                {
                    text.Append('\\').Append(c);
                }
                else if (c < ' ' || c == '\x7F')
                {
                    text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
                }
                else
                {
                    text.Append(c);
                }
            }

            text.Append('"');
        }

        return text.ToString();
    }

    /// <summary>A key for a message: <c>"port"</c>, <c>"a.b"</c>, or as written when it has quoted parts: <c>a."b c"</c>.</summary>
    private static string QuoteKey(List<TomlKeySegment> key, int count)
    {
        string text = FormatKey(key, count);
        return text.Contains('"') ? text : $"\"{text}\"";
    }
}
