using System.Device.I2c;
using Iot.Device.Bmxx80;
using Iot.Device.Bmxx80.ReadResult;

namespace Appliance.Board.Sensors;

/// <summary>
/// The cabinet's BME280 (temperature, humidity, pressure) on I2C, through Iot.Device.Bindings' <c>Bme280</c>, which
/// reads the chip's calibration and applies the datasheet's compensation. The device is opened on first use and
/// again after a failure (unplugged, no acknowledge, a wrong chip id), which gives failed readings, never a crash.
/// </summary>
public sealed class Bme280Sensor(string prefix, Func<I2cDevice> open, string description) : IBoardSensor, IDisposable
{
    private Bme280? _bme;

    public string Description => description;

    public IReadOnlyList<BoardReading> Read()
    {
        try
        {
            _bme ??= Open();
            Bme280ReadResult result = _bme.Read();
            return
            [
                result.Temperature is { } t ? Checked(prefix + "_temperature", t.DegreesCelsius, "degC", -40, 85) : BoardReading.Failed(prefix + "_temperature", "degC", "read-error"),
                result.Humidity is { } h ? Checked(prefix + "_humidity", h.Percent, "%RH", 0, 100) : BoardReading.Failed(prefix + "_humidity", "%RH", "read-error"),
                result.Pressure is { } p ? Checked(prefix + "_pressure", p.Hectopascals, "hPa", 300, 1100) : BoardReading.Failed(prefix + "_pressure", "hPa", "read-error"),
            ];
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ArgumentException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            Dispose(); // opened afresh next time
            string reason = e is IOException { Message: var m } && m.Contains("No such", StringComparison.Ordinal) ? "missing" : "read-error";
            return
            [
                BoardReading.Failed(prefix + "_temperature", "degC", reason),
                BoardReading.Failed(prefix + "_humidity", "%RH", reason),
                BoardReading.Failed(prefix + "_pressure", "hPa", reason),
            ];
        }
    }

    public void Dispose()
    {
        _bme?.Dispose();
        _bme = null;
    }

    private Bme280 Open()
    {
        var bme = new Bme280(open())
        {
            TemperatureSampling = Sampling.UltraLowPower,
            PressureSampling = Sampling.UltraLowPower,
            HumiditySampling = Sampling.UltraLowPower,
        };
        return bme;
    }

    private static BoardReading Checked(string name, double value, string unit, double min, double max) =>
        double.IsFinite(value) && value >= min && value <= max ? new BoardReading(name, Math.Round(value, 2), unit) : BoardReading.Failed(name, unit, "out-of-range");
}
