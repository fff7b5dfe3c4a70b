using System.Device.I2c;

namespace Appliance.Board.Display;

/// <summary>
/// An SSD1306 OLED (128x64 or 128x32) on I2C, driven by its command stream (Solomon Systech SSD1306 datasheet, rev 1.1):
/// a write whose control byte is 0x00 carries commands, 0x40 carries display data. At first use, and again after any
/// bus failure, the panel is set up (charge pump on, horizontal addressing, the multiplex ratio and COM pin layout of
/// its height, segment remap and COM scan for the usual module mounting) and the whole image is sent; after that only
/// the pages that changed. A failure throws (an <see cref="IOException"/> from the bus) and leaves the device closed,
/// so the next <see cref="Show"/> starts afresh: an unplugged display is retried, never fatal.
/// </summary>
public sealed class Ssd1306(Func<I2cDevice> open, int height) : IDisposable
{
    public const int Width = 128;

    private const byte Commands = 0x00;
    private const byte Data = 0x40;

    private I2cDevice? _device;
    private byte[]? _shown;
    private bool _fresh; // set up afresh: every page is sent

    public int Height { get; } = height is 64 or 32 ? height : throw new ArgumentOutOfRangeException(nameof(height), height, "an SSD1306 module is 64 or 32 pixels high");

    /// <summary>Page writes sent since the start (a changed page costs one).</summary>
    public long PagesSent { get; private set; }

    /// <summary>A frame of this display's size.</summary>
    public Framebuffer NewFrame() => new(Width, Height);

    /// <summary>Shows <paramref name="frame"/>, sending only the pages that differ from what the panel shows.</summary>
    public void Show(Framebuffer frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.Width != Width || frame.Height != Height)
        {
            throw new ArgumentException($"the frame is {frame.Width}x{frame.Height}; this display is {Width}x{Height}", nameof(frame));
        }

        try
        {
            I2cDevice device = _device ??= Open();
            _shown ??= new byte[frame.Bytes.Length];
            Span<byte> write = stackalloc byte[Width + 1];
            write[0] = Data;
            for (int page = 0; page < frame.Pages; page++)
            {
                ReadOnlySpan<byte> bytes = frame.Page(page);
                Span<byte> shown = _shown.AsSpan(page * Width, Width);
                if (bytes.SequenceEqual(shown) && !_fresh)
                {
                    continue;
                }

                device.Write([Commands, 0x21, 0, Width - 1, 0x22, (byte)page, (byte)page]); // column and page window
                bytes.CopyTo(write[1..]);
                device.Write(write);
                bytes.CopyTo(shown);
                PagesSent++;
            }

            _fresh = false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            Close();
            throw new IOException($"the display does not answer: {e.Message}", e);
        }
    }

    /// <summary>Switches the panel off (sleep), best effort.</summary>
    public void Off()
    {
        try
        {
            _device?.Write([Commands, 0xAE]);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // unplugged: it is off
        }
    }

    public void Dispose() => Close();

    private I2cDevice Open()
    {
        I2cDevice device = open();
        try
        {
            device.Write(
            [
                Commands,
                0xAE,                                  // display off while it is set up
                0xD5, 0x80,                            // clock divide ratio and oscillator frequency (the reset value)
                0xA8, (byte)(Height - 1),              // multiplex ratio: the panel's rows
                0xD3, 0x00,                            // no display offset
                0x40,                                  // start line 0
                0x8D, 0x14,                            // charge pump on (modules without an external VCC)
                0x20, 0x00,                            // horizontal addressing
                0xA1,                                  // segment remap: column 127 is SEG0 (the usual mounting)
                0xC8,                                  // COM scan from COM[N-1]: upright with the remap
                0xDA, Height == 64 ? (byte)0x12 : (byte)0x02, // COM pins: alternative for 64 rows, sequential for 32
                0x81, 0xCF,                            // contrast
                0xD9, 0xF1,                            // pre-charge period for the internal charge pump
                0xDB, 0x40,                            // VCOMH deselect level
                0x2E,                                  // no scrolling
                0xA4,                                  // show the memory (not all pixels on)
                0xA6,                                  // normal, not inverted
                0xAF,                                  // display on
            ]);
        }
        catch
        {
            device.Dispose();
            throw;
        }

        _fresh = true;
        return device;
    }

    private void Close()
    {
        _device?.Dispose();
        _device = null;
    }
}
