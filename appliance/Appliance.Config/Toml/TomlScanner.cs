using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Appliance.Config.Toml;

/// <summary>
/// A cursor over the UTF-8 bytes of a TOML document, already checked to be valid UTF-8. It knows the
/// current line, turns byte offsets on that line into <see cref="TomlPosition"/>s, and assembles the
/// text of strings that need unescaping. The grammar itself lives in <see cref="TomlParser"/>.
/// </summary>
/// <remarks>
/// Columns count Unicode scalar values, so a column is the number of non-continuation bytes between
/// the start of the line and the offset. The last answer is remembered, and positions are asked for in
/// document order, so the counting is linear in the length of the input overall.
/// </remarks>
internal ref struct TomlScanner
{
    private readonly ReadOnlySpan<byte> _input;
    private int _offset;
    private int _line;
    private int _lineStart;
    private int _knownColumnOffset;
    private int _knownColumn;

    // String assembly: text is taken straight from the input until an escape or a CRLF forces a copy.
    private byte[]? _text;
    private int _textLength;
    private bool _textCopied;
    private int _textRunStart;

    public TomlScanner(ReadOnlySpan<byte> input, int start, int maxDepth)
    {
        _input = input;
        _offset = start;
        _line = 1;
        _lineStart = start;
        _knownColumnOffset = start;
        _knownColumn = 1;
        MaxDepth = maxDepth;
    }

    /// <summary>The deepest allowed nesting level (see <see cref="TomlLimits.MaxDepth"/>).</summary>
    public int MaxDepth { get; }

    /// <summary>Reused for the segments of the key being parsed.</summary>
    public List<TomlKeySegment> Key { get; } = [];

    public readonly int Offset => _offset;

    public readonly bool AtEnd => _offset >= _input.Length;

    public readonly ReadOnlySpan<byte> Input => _input;

    /// <summary>The byte at the cursor, or -1 at the end of the input.</summary>
    public readonly int Peek() => _offset < _input.Length ? _input[_offset] : -1;

    /// <summary>The byte <paramref name="ahead"/> bytes past the cursor, or -1 past the end.</summary>
    public readonly int PeekAt(int ahead)
    {
        int at = _offset + ahead;
        return at < _input.Length ? _input[at] : -1;
    }

    /// <summary>Moves forward on the current line; use <see cref="NewLine"/> to step over a line break.</summary>
    public void Advance(int count = 1) => _offset += count;

    /// <summary>Steps over a line break of <paramref name="length"/> bytes (1 for LF, 2 for CRLF).</summary>
    public void NewLine(int length)
    {
        _offset += length;
        _line++;
        _lineStart = _offset;
        _knownColumnOffset = _offset;
        _knownColumn = 1;
    }

    public TomlPosition Position => PositionOf(_offset);

    /// <summary>The position of a byte offset on the current line.</summary>
    public TomlPosition PositionOf(int offset)
    {
        if (offset < _knownColumnOffset)
        {
            _knownColumnOffset = _lineStart;
            _knownColumn = 1;
        }

        int column = _knownColumn;
        int end = Math.Min(offset, _input.Length);
        for (int i = _knownColumnOffset; i < end; i++)
        {
            if ((_input[i] & 0xC0) != 0x80)
            {
                column++;
            }
        }

        _knownColumnOffset = end;
        _knownColumn = column;
        return new TomlPosition(_line, column + Math.Max(0, offset - end));
    }

    [DoesNotReturn]
    public void Fail(TomlErrorCode code, int offset, string reason) =>
        TomlException.Throw(code, PositionOf(offset), reason);

    /// <summary>The exception for a failure at <paramref name="offset"/>, for <c>throw</c> where a value must be returned.</summary>
    public TomlException Error(TomlErrorCode code, int offset, string reason) =>
        new(code, PositionOf(offset), reason);

    /// <summary>Words for the character at <paramref name="offset"/>, for messages: <c>'x'</c>, <c>a newline</c>, <c>U+0001</c>.</summary>
    public readonly string Describe(int offset)
    {
        if (offset >= _input.Length)
        {
            return "the end of the input";
        }

        byte b = _input[offset];
        switch (b)
        {
            case (byte)'\n':
                return "a newline";
            case (byte)'\r':
                return "a carriage return (CR)";
            case (byte)'\t':
                return "a tab";
            case < 0x20 or 0x7F:
                return $"control character U+{b:X4}";
            case < 0x80:
                return $"'{(char)b}'";
            default:
                Rune.DecodeFromUtf8(_input[offset..], out Rune rune, out _);
                return $"'{rune}' (U+{rune.Value.ToString("X4", CultureInfo.InvariantCulture)})";
        }
    }

    /// <summary>Starts the text of a string at the cursor.</summary>
    public void BeginText()
    {
        _textCopied = false;
        _textLength = 0;
        _textRunStart = _offset;
    }

    /// <summary>Keeps the input bytes read since the last break; what follows is appended, not taken from the input.</summary>
    public void BreakText()
    {
        if (!_textCopied)
        {
            _textCopied = true;
            _textLength = 0;
        }

        AppendText(_input[_textRunStart.._offset]);
    }

    /// <summary>Input bytes from the cursor on belong to the text again (after an escape or a newline was handled).</summary>
    public void ResumeText() => _textRunStart = _offset;

    public void AppendText(byte value) => AppendText(new ReadOnlySpan<byte>(in value));

    public void AppendText(Rune rune)
    {
        Span<byte> encoded = stackalloc byte[4];
        int length = rune.EncodeToUtf8(encoded);
        AppendText(encoded[..length]);
    }

    public void AppendText(scoped ReadOnlySpan<byte> bytes)
    {
        if (_text is null || _text.Length - _textLength < bytes.Length)
        {
            int size = Math.Max(Math.Max(256, (_text?.Length ?? 0) * 2), _textLength + bytes.Length);
            Array.Resize(ref _text, size);
        }

        bytes.CopyTo(_text.AsSpan(_textLength));
        _textLength += bytes.Length;
    }

    /// <summary>Ends the text at <paramref name="end"/> (exclusive) and returns it.</summary>
    public string EndText(int end)
    {
        if (!_textCopied)
        {
            return Encoding.UTF8.GetString(_input[_textRunStart..end]);
        }

        AppendText(_input[_textRunStart..end]);
        return Encoding.UTF8.GetString(_text!, 0, _textLength);
    }
}
