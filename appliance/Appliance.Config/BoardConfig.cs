namespace Appliance.Config;

/// <summary>
/// <c>[board]</c>: the appliance's own sensors; absent (null) on a server or in CI, where nothing changes for the
/// gateway. Paths are configurable so that tests point them at prepared directories.
/// </summary>
/// <param name="Interval">How often the sensors are read and their readings published; a sensor's own
/// <c>interval</c> overrides it for that sensor (its last reading goes out meanwhile).</param>
/// <param name="ExportDirectory">Where each reading is also written as a file (its name, the value as text), for the
/// sandboxed drivers to read below their sensor root; empty: not written.</param>
/// <param name="Bme280">The BME280 on I2C, if fitted.</param>
/// <param name="Dht22">The DHT22 through the kernel's dht11 IIO driver, if fitted.</param>
/// <param name="Ds18b20">The DS18B20s on 1-Wire.</param>
public sealed record BoardConfig(TimeSpan Interval, string ExportDirectory, Bme280Config? Bme280, Dht22Config? Dht22, IReadOnlyList<Ds18b20Config> Ds18b20)
{
    /// <summary>The relays (<c>[[board.relay]]</c>).</summary>
    public IReadOnlyList<RelayConfig> Relays { get; init; } = [];

    /// <summary>The OLED (<c>[board.oled]</c>), if fitted.</summary>
    public OledConfig? Oled { get; init; }
}

/// <param name="Bus">The I2C bus number (/dev/i2c-N).</param>
/// <param name="Address">0x3C (SA0 to ground, most modules) or 0x3D.</param>
/// <param name="Height">64 (128x64) or 32 (128x32) pixels.</param>
/// <param name="Rotate">How long each page shows before the next.</param>
public sealed record OledConfig(int Bus, int Address, int Height, TimeSpan Rotate);

/// <param name="Name">Its name in logs, the audit log and the console.</param>
/// <param name="Chip">The GPIO chip, /dev/gpiochipN.</param>
/// <param name="Line">The line on that chip (the BCM number on a Pi 4's chip 0).</param>
/// <param name="ActiveLow">Whether the relay board energizes on a low level.</param>
/// <param name="Role">"alarm", "uplink-isolate" or "manual".</param>
/// <param name="SafeOn">Its state at start and at shutdown: energized or not.</param>
public sealed record RelayConfig(string Name, int Chip, int Line, bool ActiveLow, string Role, bool SafeOn);

/// <param name="Name">Prefix of its readings: NAME_temperature, NAME_humidity, NAME_pressure.</param>
/// <param name="Bus">The I2C bus number (/dev/i2c-N).</param>
/// <param name="Address">0x76 (SDO to ground) or 0x77.</param>
public sealed record Bme280Config(string Name, int Bus, int Address)
{
    /// <summary>How often it is read; null: the board's interval.</summary>
    public TimeSpan? Interval { get; init; }
}

/// <param name="Name">Prefix of its readings: NAME_temperature, NAME_humidity.</param>
/// <param name="Device">Its IIO directory, /sys/bus/iio/devices/iio:deviceN.</param>
public sealed record Dht22Config(string Name, string Device)
{
    /// <summary>How often it is read; null: the board's interval. The DHT22 needs 2 s between reads.</summary>
    public TimeSpan? Interval { get; init; }
}

/// <param name="Name">Its reading's name.</param>
/// <param name="Device">Its w1 directory, /sys/bus/w1/devices/28-XXXXXXXXXXXX.</param>
public sealed record Ds18b20Config(string Name, string Device)
{
    /// <summary>How often it is read; null: the board's interval. A 12-bit conversion takes 750 ms.</summary>
    public TimeSpan? Interval { get; init; }
}
