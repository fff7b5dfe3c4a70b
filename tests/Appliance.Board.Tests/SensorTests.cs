using Appliance.Board.Sensors;
using Appliance.Testing;

namespace Appliance.Board.Tests;

/// <summary>
/// The board's sensors at their interfaces: the BME280 emulated from its datasheet and read through Iot.Device.Bindings,
/// and the kernel's sysfs files of w1_therm and the dht11 IIO driver prepared with good, CRC-failed and missing readings.
/// </summary>
public sealed class SensorTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// The compensation example of Bosch's BMP280/BME280 datasheets: with dig_T1 = 27504 ... dig_P9 = 6000, adc_T =
    /// 519888 is 25.08 °C and adc_P = 415148 is 100653.27 Pa. Humidity is checked against the BME280 datasheet's
    /// floating-point formula, computed here independently.
    /// </summary>
    [Fact]
    public void TheBme280ReadsTheDatasheetsWorkedExample()
    {
        var chip = new Bme280Emulator();
        chip.SetCalibration(27504, 26435, -1000, 36477, -10685, 3024, 2855, 140, -7, 15500, -14600, 6000);
        chip.SetHumidityCalibration(75, 362, 0, 313, 50, 30);
        chip.SetRaw(pressure: 415148, temperature: 519888, humidity: 30000);
        using var sensor = new Bme280Sensor("cabinet", () => chip, "BME280 (emulated)");

        IReadOnlyList<BoardReading> readings = sensor.Read();

        Assert.Equal(["cabinet_temperature", "cabinet_humidity", "cabinet_pressure"], readings.Select(r => r.Name));
        Assert.All(readings, reading => Assert.Null(reading.Error));
        Assert.Equal(25.08, readings[0].Value!.Value, 2);
        Assert.Equal(1006.53, readings[2].Value!.Value, 1);
        Assert.Equal(DatasheetHumidity(519888, 30000), readings[1].Value!.Value, 1);
        Assert.NotEqual(0, chip.Register(0xF4) & 0x03); // a measurement was started (forced mode)
    }

    [Fact]
    public void AnUnpluggedBme280GivesFailedReadingsAndIsReadAgainOncePluggedBackIn()
    {
        var chip = new Bme280Emulator();
        chip.SetCalibration(27504, 26435, -1000, 36477, -10685, 3024, 2855, 140, -7, 15500, -14600, 6000);
        chip.SetRaw(415148, 519888, 30000);
        using var sensor = new Bme280Sensor("cabinet", () => chip, "BME280 (emulated)");
        chip.Unplugged = true;

        Assert.All(sensor.Read(), reading => Assert.Equal((null, "read-error"), (reading.Value, reading.Error)));

        chip.Unplugged = false;
        Assert.Equal(25.08, sensor.Read()[0].Value!.Value, 2);
    }

    [Fact]
    public void AWrongChipIdIsAFailedReadingNotACrash()
    {
        using var sensor = new Bme280Sensor("cabinet", () => new WrongChip(), "not a BME280");

        Assert.All(sensor.Read(), reading => Assert.NotNull(reading.Error));
    }

    [Theory]
    [InlineData("72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=23125\n", 23.125, null)]
    [InlineData("90 fc 4b 46 7f ff 10 10 a4 : crc=a4 YES\n90 fc 4b 46 7f ff 10 10 a4 t=-55000\n", -55.0, null)]
    [InlineData("72 01 4b 46 7f ff 0e 10 57 : crc=12 NO\n72 01 4b 46 7f ff 0e 10 57 t=23125\n", null, "crc-error")]
    [InlineData("50 05 4b 46 7f ff 0c 10 1c : crc=1c YES\n50 05 4b 46 7f ff 0c 10 1c t=85000\n", null, "power-on-value")]
    [InlineData("ff ff ff ff ff ff ff ff ff : crc=c9 YES\nff ff ff ff ff ff ff ff ff t=-62\n", -0.062, null)]
    [InlineData("00 08 4b 46 7f ff 0c 10 1c : crc=1c YES\n00 08 4b 46 7f ff 0c 10 1c t=128000\n", null, "out-of-range")]
    [InlineData("", null, "read-error")]
    [InlineData("garbage\n", null, "read-error")]
    public void Ds18b20ReadingsFromW1Slave(string content, double? expected, string? error)
    {
        string device = Path.Combine(_dir.Path, "28-0316a1b2c3d4");
        Directory.CreateDirectory(device);
        File.WriteAllText(Path.Combine(device, "w1_slave"), content);

        BoardReading reading = Assert.Single(new W1Therm("ds18b20_inlet", device).Read());

        Assert.Equal((expected, error), (reading.Value, reading.Error));
        Assert.Equal("degC", reading.Unit);
    }

    [Fact]
    public void AnUnpluggedDs18b20IsMissing() =>
        Assert.Equal("missing", Assert.Single(new W1Therm("ds18b20_inlet", Path.Combine(_dir.Path, "28-gone")).Read()).Error);

    [Fact]
    public void TheDht22ReadsTheIioDriversFiles()
    {
        string device = Path.Combine(_dir.Path, "iio:device0");
        Directory.CreateDirectory(device);
        File.WriteAllText(Path.Combine(device, "in_temp_input"), "24300\n");
        File.WriteAllText(Path.Combine(device, "in_humidityrelative_input"), "41700\n");

        IReadOnlyList<BoardReading> readings = new IioHumidity("cabinet_dht", device).Read();

        Assert.Equal([new BoardReading("cabinet_dht_temperature", 24.3, "degC"), new BoardReading("cabinet_dht_humidity", 41.7, "%RH")], readings);
    }

    [Fact]
    public void ADht22ThatIsMissingOrOutOfRangeGivesItsReason()
    {
        string device = Path.Combine(_dir.Path, "iio:device0");
        Directory.CreateDirectory(device);
        File.WriteAllText(Path.Combine(device, "in_humidityrelative_input"), "130000\n"); // 130 %: a bad transfer

        IReadOnlyList<BoardReading> readings = new IioHumidity("cabinet_dht", device).Read();

        Assert.Equal(["missing", "out-of-range"], readings.Select(r => r.Error));
    }

    [Fact]
    public void ADht22ReadErrorFromTheDriverIsAReadError()
    {
        // The dht11 driver answers a failed transfer with EIO on read; a directory in the file's place fails the same way here.
        string device = Path.Combine(_dir.Path, "iio:device0");
        Directory.CreateDirectory(Path.Combine(device, "in_temp_input"));
        File.WriteAllText(Path.Combine(device, "in_humidityrelative_input"), "41700\n");

        Assert.Equal("read-error", new IioHumidity("cabinet_dht", device).Read()[0].Error);
    }

    /// <summary>The BME280 datasheet's floating-point compensation of humidity (section 4.2.3 / 8.1).</summary>
    private static double DatasheetHumidity(int adcT, int adcH)
    {
        (double t1, double t2, double t3) = (27504, 26435, -1000);
        double var1 = ((adcT / 16384.0) - (t1 / 1024.0)) * t2;
        double var2 = ((adcT / 131072.0) - (t1 / 8192.0)) * ((adcT / 131072.0) - (t1 / 8192.0)) * t3;
        double tFine = var1 + var2;
        (double h1, double h2, double h3, double h4, double h5, double h6) = (75, 362, 0, 313, 50, 30);
        double h = tFine - 76800.0;
        h = (adcH - ((h4 * 64.0) + (h5 / 16384.0 * h))) * (h2 / 65536.0 * (1.0 + (h6 / 67108864.0 * h * (1.0 + (h3 / 67108864.0 * h)))));
        h *= 1.0 - (h1 * h / 524288.0);
        return Math.Clamp(h, 0, 100);
    }

    /// <summary>A device at the address that is not a BME280 (chip id 0x58, a BMP280).</summary>
    private sealed class WrongChip : System.Device.I2c.I2cDevice
    {
        public override System.Device.I2c.I2cConnectionSettings ConnectionSettings { get; } = new(1, 0x76);

        public override byte ReadByte() => 0x58;

        public override void Read(Span<byte> buffer) => buffer.Fill(0x58);

        public override void WriteByte(byte value)
        {
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
        }

        public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer) => readBuffer.Fill(0x58);
    }
}
