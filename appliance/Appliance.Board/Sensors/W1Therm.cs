using System.Globalization;

namespace Appliance.Board.Sensors;

/// <summary>
/// A DS18B20 through the kernel's <c>w1_therm</c> driver: <c>/sys/bus/w1/devices/28-*/w1_slave</c> holds two lines,
/// the scratchpad with the CRC check (<c>… : crc=5a YES</c>) and the scratchpad with the temperature in thousandths of
/// a degree (<c>… t=21375</c>). A missing device, a CRC failure, a value outside the sensor's −55 to 125 °C, or 85 °C
/// exactly (the power-on value of the scratchpad: the conversion did not run) is a failed reading with that reason.
/// </summary>
public sealed class W1Therm(string name, string directory) : IBoardSensor
{
    public string Description => $"DS18B20 {Path.GetFileName(directory)} (w1_therm, {directory})";

    public IReadOnlyList<BoardReading> Read() => [Parse(name, ReadSlave())];

    /// <summary>The reading for one w1_slave file's text (null: the file could not be read).</summary>
    public static BoardReading Parse(string name, string? text)
    {
        const string Unit = "degC";
        if (text is null)
        {
            return BoardReading.Failed(name, Unit, "missing");
        }

        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length < 2 || !lines[0].Contains("crc=", StringComparison.Ordinal))
        {
            return BoardReading.Failed(name, Unit, "read-error");
        }

        if (!lines[0].TrimEnd().EndsWith("YES", StringComparison.Ordinal))
        {
            return BoardReading.Failed(name, Unit, "crc-error");
        }

        int at = lines[1].LastIndexOf("t=", StringComparison.Ordinal);
        if (at < 0 || !int.TryParse(lines[1].AsSpan(at + 2).Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int milli))
        {
            return BoardReading.Failed(name, Unit, "read-error");
        }

        if (milli == 85_000)
        {
            return BoardReading.Failed(name, Unit, "power-on-value");
        }

        return milli is < -55_000 or > 125_000 ? BoardReading.Failed(name, Unit, "out-of-range") : new BoardReading(name, milli / 1000.0, Unit);
    }

    private string? ReadSlave()
    {
        try
        {
            return File.ReadAllText(Path.Combine(directory, "w1_slave"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e is FileNotFoundException or DirectoryNotFoundException ? null : string.Empty;
        }
    }
}
