namespace Appliance.Board;

/// <summary>One value of a board sensor: the value and its unit, or why there is none (quality BAD).</summary>
/// <param name="Name">Key in the telemetry message: "cabinet_temperature", "ds18b20_28-0316a1b2c3d4".</param>
/// <param name="Value">The value; null when <paramref name="Error"/> says why not.</param>
/// <param name="Unit">Its unit: "degC", "%RH", "hPa".</param>
/// <param name="Error">Why there is no value: "missing", "crc-error", "read-error", "out-of-range", "power-on-value".</param>
public sealed record BoardReading(string Name, double? Value, string Unit, string? Error = null)
{
    public static BoardReading Failed(string name, string unit, string error) => new(name, null, unit, error);
}

/// <summary>A sensor of the board. Reading never throws for anything the hardware does: it returns failed readings.</summary>
public interface IBoardSensor
{
    /// <summary>What it is, for <c>appliance board probe</c>: "BME280 on /dev/i2c-1 at 0x76".</summary>
    string Description { get; }

    IReadOnlyList<BoardReading> Read();
}
