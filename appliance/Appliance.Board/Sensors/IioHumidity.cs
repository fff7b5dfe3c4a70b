using System.Globalization;

namespace Appliance.Board.Sensors;

/// <summary>
/// A DHT22 through the kernel's <c>dht11</c> IIO driver (device tree overlay <c>dht11,gpiopin=N</c>): its directory
/// under <c>/sys/bus/iio/devices/iio:deviceN</c> holds <c>in_temp_input</c> (thousandths of a degree) and
/// <c>in_humidityrelative_input</c> (thousandths of a percent). The driver answers a failed transfer or checksum with
/// an I/O error on the read; that, a missing device, or a value outside the DHT22's range (−40 to 80 °C, 0 to 100 %)
/// is a failed reading with its reason.
/// </summary>
public sealed class IioHumidity(string prefix, string directory) : IBoardSensor
{
    public string Description => $"DHT22 (dht11 IIO driver, {directory})";

    public IReadOnlyList<BoardReading> Read() =>
    [
        Value(prefix + "_temperature", "in_temp_input", "degC", -40, 80),
        Value(prefix + "_humidity", "in_humidityrelative_input", "%RH", 0, 100),
    ];

    private BoardReading Value(string name, string file, string unit, double min, double max)
    {
        string text;
        try
        {
            text = File.ReadAllText(Path.Combine(directory, file)).Trim();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return BoardReading.Failed(name, unit, "missing");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return BoardReading.Failed(name, unit, "read-error"); // the driver's EIO: no answer or a bad checksum
        }

        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long milli))
        {
            return BoardReading.Failed(name, unit, "read-error");
        }

        double value = milli / 1000.0;
        return value < min || value > max ? BoardReading.Failed(name, unit, "out-of-range") : new BoardReading(name, value, unit);
    }
}
