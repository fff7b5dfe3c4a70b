using System.Buffers.Binary;
using System.Device.I2c;

namespace Appliance.Board.Tests;

/// <summary>
/// A BME280 at the I2C interface, from the Bosch datasheet (BST-BME280-DS002): chip id 0x60 at 0xD0, the calibration
/// words at 0x88–0xA1 and 0xE1–0xE7 (dig_H4 and dig_H5 sharing 0xE5), the control registers, a status register that
/// never reports a conversion in progress, and the raw 20-bit pressure and temperature and 16-bit humidity at 0xF7–0xFE.
/// A write sets the register pointer with its first byte and writes the rest from there; reads auto-increment.
/// Unplugged, every transfer fails as the kernel's I2C driver does (an I/O error).
/// </summary>
internal sealed class Bme280Emulator : I2cDevice
{
    private readonly byte[] _registers = new byte[256];
    private int _pointer;

    public Bme280Emulator()
    {
        _registers[0xD0] = 0x60;
    }

    public bool Unplugged { get; set; }

    public override I2cConnectionSettings ConnectionSettings { get; } = new(1, 0x76);

    /// <summary>The temperature and pressure calibration (dig_T1..T3, dig_P1..P9).</summary>
    public void SetCalibration(ushort t1, short t2, short t3, ushort p1, short p2, short p3, short p4, short p5, short p6, short p7, short p8, short p9)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_registers.AsSpan(0x88), t1);
        BinaryPrimitives.WriteInt16LittleEndian(_registers.AsSpan(0x8A), t2);
        BinaryPrimitives.WriteInt16LittleEndian(_registers.AsSpan(0x8C), t3);
        BinaryPrimitives.WriteUInt16LittleEndian(_registers.AsSpan(0x8E), p1);
        short[] rest = [p2, p3, p4, p5, p6, p7, p8, p9];
        for (int i = 0; i < rest.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(_registers.AsSpan(0x90 + (2 * i)), rest[i]);
        }
    }

    /// <summary>The humidity calibration (dig_H1..H6), packed as the chip packs it.</summary>
    public void SetHumidityCalibration(byte h1, short h2, byte h3, short h4, short h5, sbyte h6)
    {
        _registers[0xA1] = h1;
        BinaryPrimitives.WriteInt16LittleEndian(_registers.AsSpan(0xE1), h2);
        _registers[0xE3] = h3;
        _registers[0xE4] = (byte)(h4 >> 4);
        _registers[0xE5] = (byte)((h4 & 0x0F) | ((h5 & 0x0F) << 4));
        _registers[0xE6] = (byte)(h5 >> 4);
        _registers[0xE7] = (byte)h6;
    }

    /// <summary>The raw ADC values the next read returns.</summary>
    public void SetRaw(int pressure, int temperature, int humidity)
    {
        _registers[0xF7] = (byte)(pressure >> 12);
        _registers[0xF8] = (byte)(pressure >> 4);
        _registers[0xF9] = (byte)((pressure & 0x0F) << 4);
        _registers[0xFA] = (byte)(temperature >> 12);
        _registers[0xFB] = (byte)(temperature >> 4);
        _registers[0xFC] = (byte)((temperature & 0x0F) << 4);
        _registers[0xFD] = (byte)(humidity >> 8);
        _registers[0xFE] = (byte)humidity;
    }

    public byte Register(int address) => _registers[address];

    public override byte ReadByte()
    {
        Check();
        return _registers[_pointer++ & 0xFF];
    }

    public override void Read(Span<byte> buffer)
    {
        Check();
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = _registers[_pointer++ & 0xFF];
        }
    }

    public override void WriteByte(byte value)
    {
        Check();
        _pointer = value;
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Check();
        if (buffer.Length == 0)
        {
            return;
        }

        _pointer = buffer[0];
        foreach (byte value in buffer[1..])
        {
            if (_pointer is >= 0xE0 and not 0xE1 and not 0xE2 and not 0xE3 and not 0xE4 and not 0xE5 and not 0xE6 and not 0xE7 and < 0xF7)
            {
                _registers[_pointer] = _pointer == 0xE0 ? (byte)0 : value; // control registers only; 0xE0 is the reset command
            }

            _pointer++;
        }
    }

    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Write(writeBuffer);
        Read(readBuffer);
    }

    private void Check()
    {
        if (Unplugged)
        {
            throw new IOException("Error 121 performing I2C data transfer."); // EREMOTEIO: no acknowledge
        }
    }
}
