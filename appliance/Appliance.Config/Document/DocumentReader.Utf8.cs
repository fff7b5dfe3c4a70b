using System.Text.Unicode;

namespace Appliance.Config.Document;

internal static partial class DocumentReader
{
    // A TOML document is UTF-8 (RFC 3629). The well-formed sequences are:
    //
    //   U+0000..U+007F      00..7F
    //   U+0080..U+07FF      C2..DF  80..BF                   (C0, C1 would be overlong)
    //   U+0800..U+0FFF      E0      A0..BF  80..BF           (E0 80..9F would be overlong)
    //   U+1000..U+CFFF      E1..EC  80..BF  80..BF
    //   U+D000..U+D7FF      ED      80..9F  80..BF           (ED A0..BF would be a surrogate)
    //   U+E000..U+FFFF      EE..EF  80..BF  80..BF
    //   U+10000..U+3FFFF    F0      90..BF  80..BF  80..BF   (F0 80..8F would be overlong)
    //   U+40000..U+FFFFF    F1..F3  80..BF  80..BF  80..BF
    //   U+100000..U+10FFFF  F4      80..8F  80..BF  80..BF   (F4 90.. would be beyond U+10FFFF)
    //
    // Tomlyn reads .NET strings, so the bytes are checked here, before they are decoded: a decoder would
    // replace a bad sequence with U+FFFD and the file would mean something its author did not write.
    // The whole input is checked first (vectorised); only when that fails is it walked again to find and
    // explain the first bad sequence, with its line and column (columns count Unicode scalar values, from
    // after a leading byte-order mark, as Tomlyn counts them).

    /// <summary>Null when <paramref name="input"/> is well-formed UTF-8, otherwise where and why it is not.</summary>
    private static (TomlPosition Position, string Problem)? FindInvalidUtf8(ReadOnlySpan<byte> input)
    {
        if (Utf8.IsValid(input))
        {
            return null;
        }

        int line = 1;
        int column = 1;
        int i = input.StartsWith("\uFEFF"u8) ? 3 : 0;
        while (i < input.Length)
        {
            byte b = input[i];
            if (b < 0x80)
            {
                (line, column) = b == (byte)'\n' ? (line + 1, 1) : (line, column + 1);
                i++;
                continue;
            }

            string? problem = CheckUtf8Sequence(input, i, out int length);
            if (problem is not null)
            {
                return (new TomlPosition(line, column), $"invalid UTF-8: {problem}; save the file as UTF-8");
            }

            i += length;
            column++;
        }

        return null;
    }

    /// <summary>Returns why the sequence at <paramref name="i"/> is not well-formed UTF-8, or null and its length.</summary>
    private static string? CheckUtf8Sequence(ReadOnlySpan<byte> input, int i, out int length)
    {
        byte lead = input[i];
        length = lead switch
        {
            >= 0xC2 and <= 0xDF => 2,
            >= 0xE0 and <= 0xEF => 3,
            >= 0xF0 and <= 0xF4 => 4,
            _ => 0,
        };
        switch (lead)
        {
            case <= 0xBF:
                return $"byte 0x{lead:X2} is a continuation byte without a lead byte before it";
            case 0xC0 or 0xC1:
                return $"byte 0x{lead:X2} would start an overlong encoding";
            case >= 0xF5:
                return $"byte 0x{lead:X2} never appears in UTF-8";
            default:
                break;
        }

        (byte low, byte high, string? beyond) = lead switch
        {
            0xE0 => ((byte)0xA0, (byte)0xBF, "an overlong encoding"),
            0xED => ((byte)0x80, (byte)0x9F, "a UTF-16 surrogate (U+D800..U+DFFF)"),
            0xF0 => ((byte)0x90, (byte)0xBF, "an overlong encoding"),
            0xF4 => ((byte)0x80, (byte)0x8F, "a code point beyond U+10FFFF"),
            _ => ((byte)0x80, (byte)0xBF, null),
        };
        for (int k = 1; k < length; k++)
        {
            if (i + k >= input.Length)
            {
                return $"the input ends inside the {length}-byte sequence that starts with 0x{lead:X2}";
            }

            byte next = input[i + k];
            if (k == 1 && beyond is not null && next is >= 0x80 and <= 0xBF && (next < low || next > high))
            {
                return $"bytes 0x{lead:X2} 0x{next:X2} start {beyond}";
            }

            if (next is < 0x80 or > 0xBF || (k == 1 && (next < low || next > high)))
            {
                return $"the {length}-byte sequence that starts with 0x{lead:X2} is cut short by 0x{next:X2}";
            }
        }

        return null;
    }
}
