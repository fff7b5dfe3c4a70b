using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Appliance.Config;
using Appliance.Sandbox.Parsing;

namespace Appliance.Gateway.Telemetry;

/// <summary>
/// Writes one poll group's telemetry message (its exact shape is documented in the README, "Telemetry"):
/// <code>
/// {"ts":1732262400123,"seq":42,"device":"plc-1","unit":1,"group":"process","quality":"good",
///  "values":{"temperature":21.5,"pump_running":true},"errors":{"pressure":"timeout"}}
/// </code>
/// Every configured tag appears exactly once, in "values" or in "errors". "quality" is "good" only when
/// "errors" is empty. Booleans, integers and finite reals are JSON numbers or booleans; text is a string.
/// An unscaled float32 is written with the fewest digits that read back as the same float32, an unscaled
/// float64 likewise, and a scaled value with 15 significant digits.
/// </summary>
public sealed class TelemetryJson : IDisposable
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _writer;

    public TelemetryJson()
    {
        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = false });
    }

    /// <summary>Formats a message; the returned bytes are a fresh copy the caller owns.</summary>
    public byte[] Format(ModbusDeviceConfig device, PollGroupConfig group, GroupReport report, long sequence)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(report);
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        _writer.WriteStartObject();
        _writer.WriteNumber("ts"u8, report.Timestamp.ToUnixTimeMilliseconds());
        _writer.WriteNumber("seq"u8, sequence);
        _writer.WriteString("device"u8, device.Name);
        _writer.WriteNumber("unit"u8, device.UnitId);
        _writer.WriteString("group"u8, group.Name);
        _writer.WriteString("quality"u8, report.IsGood ? "good"u8 : "bad"u8);
        _writer.WriteStartObject("values"u8);
        for (int i = 0; i < report.Tags.Length; i++)
        {
            TagValue value = report.Tags[i];
            if (!value.IsError)
            {
                _writer.WritePropertyName(group.Tags[i].Name);
                WriteValue(group.Tags[i], value);
            }
        }

        _writer.WriteEndObject();
        _writer.WriteStartObject("errors"u8);
        for (int i = 0; i < report.Tags.Length; i++)
        {
            if (report.Tags[i].Error is string reason)
            {
                _writer.WriteString(group.Tags[i].Name, reason);
            }
        }

        _writer.WriteEndObject();
        _writer.WriteEndObject();
        _writer.Flush();
        return _buffer.WrittenSpan.ToArray();
    }

    public void Dispose() => _writer.Dispose();

    private void WriteValue(TagConfig tag, TagValue value)
    {
        switch (value.Case)
        {
            case ValueCase.Boolean:
                _writer.WriteBooleanValue(value.Bits != 0);
                break;
            case ValueCase.Signed:
                _writer.WriteNumberValue(unchecked((long)value.Bits));
                break;
            case ValueCase.Unsigned:
                _writer.WriteNumberValue(value.Bits);
                break;
            case ValueCase.Real:
                double real = BitConverter.UInt64BitsToDouble(value.Bits);
                if (tag.Type == TagType.Float32 && tag.Scale == 1.0 && tag.Offset == 0.0)
                {
                    _writer.WriteNumberValue((float)real); // the shortest text that reads back as the same float32
                }
                else if (tag.Scale == 1.0 && tag.Offset == 0.0)
                {
                    _writer.WriteNumberValue(real);
                }
                else
                {
                    // A scaled value is a measurement, not a bit pattern: 15 significant digits, so that
                    // 307 × 0.01 reads 3.07 rather than 3.0700000000000003.
                    _writer.WriteRawValue(real.ToString("G15", CultureInfo.InvariantCulture), skipInputValidation: true);
                }

                break;
            default:
                _writer.WriteStringValue(value.Text);
                break;
        }
    }
}
