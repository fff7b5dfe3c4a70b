using System.Device.I2c;
using Appliance.Board.Display;

namespace Appliance.Testing;

/// <summary>
/// An SSD1306 panel at the I2C interface, from the Solomon Systech datasheet (rev 1.1, sections 8.1.5 and 9–10): each
/// write starts with a control byte (Co, D/C#): Co = 0 makes the rest of the write all commands (D/C# = 0) or all
/// display data (D/C# = 1); Co = 1 carries one byte and then another control byte. Commands with their argument
/// bytes are decoded into the panel's state (display on, charge pump, addressing mode and windows, multiplex ratio,
/// offset, start line, segment remap, COM scan direction, COM pin layout, inversion, entire-display-on); data bytes go
/// to the 128x8-page display memory at the address pointer, which moves as the addressing mode says. <see cref="Visible"/>
/// is what the glass shows. An undefined command is recorded in <see cref="Errors"/>. Unplugged, every transfer fails
/// as the kernel's I2C driver does.
/// </summary>
internal sealed class Ssd1306Emulator(int rows = 64) : I2cDevice
{
    private readonly byte[] _memory = new byte[128 * 8];
    private readonly List<byte> _pending = [];
    private int _column;
    private int _page;

    public bool Unplugged { get; set; }

    public List<string> Errors { get; } = [];

    public bool DisplayOn { get; private set; }

    public bool ChargePump { get; private set; }

    public int AddressingMode { get; private set; } = 2; // page addressing after reset

    public (int Start, int End) ColumnWindow { get; private set; } = (0, 127);

    public (int Start, int End) PageWindow { get; private set; } = (0, 7);

    public int Multiplex { get; private set; } = 64;

    public int Offset { get; private set; }

    public int StartLine { get; private set; }

    public bool SegmentRemap { get; private set; }

    public bool ComScanReversed { get; private set; }

    public byte ComPins { get; private set; } = 0x12;

    public bool Inverted { get; private set; }

    public bool EntireOn { get; private set; }

    /// <summary>Times the panel was set up (a write that switched it from off to on).</summary>
    public int Setups { get; private set; }

    /// <summary>Display data bytes written since the start.</summary>
    public long DataBytes { get; private set; }

    public override I2cConnectionSettings ConnectionSettings { get; } = new(1, 0x3C);

    /// <summary>
    /// What the glass shows: dark without the charge pump or with the display off; rows past the multiplex ratio dark;
    /// a panel of 64 rows needs the alternative COM pin layout (0x12) and one of 32 rows the sequential one (0x02), else
    /// every other row is scrambled, which the test sees. The usual module is mounted so that segment remap and reversed
    /// COM scan show column 0 at the left and page 0 at the top.
    /// </summary>
    public Framebuffer Visible()
    {
        var glass = new Framebuffer(128, rows);
        if (!DisplayOn || !ChargePump)
        {
            return glass;
        }

        byte wantedPins = rows == 64 ? (byte)0x12 : (byte)0x02;
        for (int y = 0; y < rows; y++)
        {
            int row = ComScanReversed ? y : rows - 1 - y;
            if (ComPins != wantedPins)
            {
                row = (row % 2 == 0) ? row / 2 : (rows / 2) + (row / 2);
            }

            bool shown = row < Multiplex;
            int line = (row + StartLine + Offset) % 64;
            for (int x = 0; x < 128; x++)
            {
                int column = SegmentRemap ? x : 127 - x;
                bool lit = shown && (_memory[((line / 8) * 128) + column] & (1 << (line % 8))) != 0;
                glass[x, y] = EntireOn || (lit != Inverted);
            }
        }

        return glass;
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (Unplugged)
        {
            throw new IOException("Remote I/O error");
        }

        int i = 0;
        while (i < buffer.Length)
        {
            byte control = buffer[i++];
            bool continuation = (control & 0x80) != 0;
            bool data = (control & 0x40) != 0;
            if ((control & 0x3F) != 0)
            {
                Errors.Add($"control byte 0x{control:x2} has bits set below D/C#");
            }

            int end = continuation ? Math.Min(i + 1, buffer.Length) : buffer.Length;
            for (; i < end; i++)
            {
                if (data)
                {
                    WriteData(buffer[i]);
                }
                else
                {
                    Command(buffer[i]);
                }
            }
        }
    }

    public override void Read(Span<byte> buffer) => throw new IOException("the SSD1306 on I2C cannot be read");

    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer) => throw new IOException("the SSD1306 on I2C cannot be read");

    public override byte ReadByte() => throw new IOException("the SSD1306 on I2C cannot be read");

    public override void WriteByte(byte value) => Write([value]);

    private void WriteData(byte value)
    {
        _memory[(_page * 128) + _column] = value;
        DataBytes++;
        switch (AddressingMode)
        {
            case 0: // horizontal: along the column window, then the next page of the page window
                if (++_column > ColumnWindow.End)
                {
                    _column = ColumnWindow.Start;
                    _page = _page >= PageWindow.End ? PageWindow.Start : _page + 1;
                }

                break;
            case 1: // vertical: down the page window, then the next column
                if (++_page > PageWindow.End)
                {
                    _page = PageWindow.Start;
                    _column = _column >= ColumnWindow.End ? ColumnWindow.Start : _column + 1;
                }

                break;
            default: // page: along the page, wrapping to its start
                _column = (_column + 1) % 128;
                break;
        }
    }

    private void Command(byte value)
    {
        _pending.Add(value);
        byte command = _pending[0];
        int arguments = command switch
        {
            0x81 or 0x20 or 0xA8 or 0xD3 or 0xDA or 0xD5 or 0xD9 or 0xDB or 0x8D => 1,
            0x21 or 0x22 or 0xA3 => 2,
            0x29 or 0x2A => 5,
            0x26 or 0x27 => 6,
            _ => 0,
        };
        if (_pending.Count <= arguments)
        {
            return; // its arguments follow
        }

        byte[] a = [.. _pending.Skip(1)];
        _pending.Clear();
        switch (command)
        {
            case 0xAE: DisplayOn = false; break;
            case 0xAF: Setups += DisplayOn ? 0 : 1; DisplayOn = true; break;
            case 0x8D: ChargePump = (a[0] & 0x04) != 0; break;
            case 0x20: AddressingMode = a[0] & 0x03; break;
            case 0x21: ColumnWindow = (a[0] & 0x7F, a[1] & 0x7F); _column = ColumnWindow.Start; break;
            case 0x22: PageWindow = (a[0] & 0x07, a[1] & 0x07); _page = PageWindow.Start; break;
            case 0xA8: Multiplex = (a[0] & 0x3F) + 1; if (Multiplex < 16) { Errors.Add($"multiplex ratio {Multiplex} is below 16"); } break;
            case 0xD3: Offset = a[0] & 0x3F; break;
            case 0xDA: ComPins = (byte)(a[0] & 0x32); break;
            case 0xA0 or 0xA1: SegmentRemap = command == 0xA1; break;
            case 0xC0 or 0xC8: ComScanReversed = command == 0xC8; break;
            case 0xA6 or 0xA7: Inverted = command == 0xA7; break;
            case 0xA4 or 0xA5: EntireOn = command == 0xA5; break;
            case >= 0x40 and <= 0x7F: StartLine = command & 0x3F; break;
            case >= 0xB0 and <= 0xB7: _page = command & 0x07; break;
            case <= 0x0F: _column = (_column & 0xF0) | command; break;
            case >= 0x10 and <= 0x1F: _column = ((command & 0x0F) << 4) | (_column & 0x0F); break;
            case 0x81 or 0xD5 or 0xD9 or 0xDB or 0xA3 or 0x26 or 0x27 or 0x29 or 0x2A or 0x2E or 0x2F or 0xE3: break; // no effect on the image here
            default: Errors.Add($"undefined command 0x{command:x2}"); break;
        }
    }
}
