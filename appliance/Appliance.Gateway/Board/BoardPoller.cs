using System.Buffers;
using System.Device.I2c;
using System.Globalization;
using System.Text.Json;
using Appliance.Board;
using Appliance.Board.Sensors;
using Appliance.Config;
using Appliance.Gateway.Telemetry;

namespace Appliance.Gateway.Board;

/// <summary>
/// The board's own sensors, each read at its own interval (<c>[board] interval</c> unless the sensor sets one; on the
/// thread pool: a BME280 read waits for its conversion) and published, whenever any was read, as numbered telemetry of
/// the device <c>board</c>, group <c>sensors</c>, through the same sink as the Modbus values:
/// <c>{"ts","seq","device":"board","quality","values","units","errors"}</c>, each sensor's latest reading. A sensor
/// that fails is retried with a backoff doubling from its interval to 5 minutes, its last failure reported meanwhile. Each
/// good reading is also written as a file in <c>[board] export_dir</c> (atomically), for the drivers' sensor roots.
/// </summary>
public sealed class BoardPoller : IDisposable
{
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromMinutes(5);

    /// <summary>A sensor is due this much before its time, so that a wake-up a little early does not skip a whole tick.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(50);

    private readonly BoardConfig _config;
    private readonly ITelemetrySink _sink;
    private readonly string _topic;
    private readonly Slot[] _slots;

    public BoardPoller(BoardConfig config, IReadOnlyList<(IBoardSensor Sensor, TimeSpan Interval)> sensors, ITelemetrySink sink, string topic)
    {
        ArgumentNullException.ThrowIfNull(sensors);
        _config = config;
        _sink = sink;
        _topic = topic;
        _slots = [.. sensors.Select(sensor => new Slot(sensor.Sensor, sensor.Interval))];
        Tick = _slots.Length == 0 ? config.Interval : _slots.Min(slot => slot.Interval);
    }

    /// <summary>How often the poller wakes: the shortest of the sensors' intervals.</summary>
    public TimeSpan Tick { get; }

    public const string Stream = "board/sensors";

    public IReadOnlyList<IBoardSensor> Sensors => [.. _slots.Select(slot => slot.Sensor)];

    public long Polls { get; private set; }

    /// <summary>The readings of the last poll (the display shows them).</summary>
    public IReadOnlyList<BoardReading> LastReadings { get; private set; } = [];

    /// <summary>The sensors of a configuration with their intervals, on the real buses (or those <paramref name="i2c"/> opens) and files.</summary>
    public static IReadOnlyList<(IBoardSensor Sensor, TimeSpan Interval)> SensorsOf(BoardConfig config, Func<I2cConnectionSettings, I2cDevice>? i2c = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        i2c ??= I2cDevice.Create;
        var sensors = new List<(IBoardSensor, TimeSpan)>();
        if (config.Bme280 is { } bme)
        {
            sensors.Add((
                new Bme280Sensor(
                    bme.Name,
                    () => i2c(new I2cConnectionSettings(bme.Bus, bme.Address)),
                    string.Create(CultureInfo.InvariantCulture, $"BME280 on /dev/i2c-{bme.Bus} at 0x{bme.Address:x2}")),
                bme.Interval ?? config.Interval));
        }

        if (config.Dht22 is { } dht)
        {
            sensors.Add((new IioHumidity(dht.Name, dht.Device), dht.Interval ?? config.Interval));
        }

        sensors.AddRange(config.Ds18b20.Select(probe => ((IBoardSensor)new W1Therm(probe.Name, probe.Device), probe.Interval ?? config.Interval)));
        return sensors;
    }

    public async Task RunAsync(TimeProvider time, CancellationToken stop)
    {
        while (true)
        {
            await PollOnceAsync(time, stop).ConfigureAwait(false);
            await Task.Delay(Tick, time, stop).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the sensors that are due and, if any was, publishes every sensor's latest reading.</summary>
    public async Task PollOnceAsync(TimeProvider time, CancellationToken stop)
    {
        DateTimeOffset now = time.GetUtcNow();
        var readings = new List<BoardReading>();
        bool anyRead = _slots.Length == 0;
        foreach (Slot slot in _slots)
        {
            if (now < slot.NextTry)
            {
                readings.AddRange(slot.Last);
                continue;
            }

            IReadOnlyList<BoardReading> read = await Task.Run(slot.Sensor.Read, stop).ConfigureAwait(false);
            anyRead = true;
            slot.Last = read;
            bool failed = read.Any(reading => reading.Error is not null);
            slot.Backoff = failed ? TimeSpan.FromTicks(Math.Min(Math.Max(slot.Backoff.Ticks * 2, slot.Interval.Ticks), LongestBackoff.Ticks)) : TimeSpan.Zero;
            slot.NextTry = now + (failed ? slot.Backoff : slot.Interval) - Slack;
            readings.AddRange(read);
        }

        if (!anyRead)
        {
            return;
        }

        long sequence = _sink.NextSequence(Stream);
        await _sink.PublishAsync(new TelemetryMessage(_topic, Format(now, sequence, readings), Retain: false, Stream, sequence), stop).ConfigureAwait(false);
        Polls++;
        LastReadings = readings;
        Export(readings);
    }

    public void Dispose()
    {
        foreach (Slot slot in _slots)
        {
            (slot.Sensor as IDisposable)?.Dispose();
        }
    }

    private void Export(List<BoardReading> readings)
    {
        if (_config.ExportDirectory.Length == 0)
        {
            return;
        }

        Directory.CreateDirectory(_config.ExportDirectory);
        foreach (BoardReading reading in readings.Where(r => r.Value is not null))
        {
            string file = Path.Combine(_config.ExportDirectory, reading.Name);
            File.WriteAllText(file + ".tmp", reading.Value!.Value.ToString("R", CultureInfo.InvariantCulture) + "\n");
            File.Move(file + ".tmp", file, overwrite: true);
        }
    }

    private static byte[] Format(DateTimeOffset at, long sequence, List<BoardReading> readings)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("ts"u8, at.ToUnixTimeMilliseconds());
            json.WriteNumber("seq"u8, sequence);
            json.WriteString("device"u8, "board");
            json.WriteString("group"u8, "sensors");
            json.WriteString("quality"u8, readings.All(r => r.Error is null) ? "good"u8 : "bad"u8);
            json.WriteStartObject("values"u8);
            foreach (BoardReading reading in readings.Where(r => r.Value is not null))
            {
                json.WriteNumber(reading.Name, reading.Value!.Value);
            }

            json.WriteEndObject();
            json.WriteStartObject("units"u8);
            foreach (BoardReading reading in readings)
            {
                json.WriteString(reading.Name, reading.Unit);
            }

            json.WriteEndObject();
            json.WriteStartObject("errors"u8);
            foreach (BoardReading reading in readings.Where(r => r.Error is not null))
            {
                json.WriteString(reading.Name, reading.Error);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private sealed class Slot(IBoardSensor sensor, TimeSpan interval)
    {
        public IBoardSensor Sensor { get; } = sensor;

        public TimeSpan Interval { get; } = interval;

        public IReadOnlyList<BoardReading> Last { get; set; } = [];

        public TimeSpan Backoff { get; set; }

        public DateTimeOffset NextTry { get; set; }
    }
}
