using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Appliance.Bench;

/// <summary>The results of <see cref="GatewayBenchmark"/>, as JSON for scripts or as text for people.</summary>
internal sealed record GatewayBenchReport(
    string Version,
    bool Quick,
    int GuestBytes,
    int Tags,
    int FrameBytes,
    double DecodeP50Microseconds,
    double DecodeP99Microseconds,
    double FramesPerSecond,
    double SingleInstanceMicroseconds,
    double ResetMicroseconds,
    double WorstResetMicroseconds)
{
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("benchmark", "gateway");
            json.WriteString("version", Version);
            json.WriteBoolean("quick", Quick);
            json.WriteStartObject("frame");
            json.WriteString("function", "0x03");
            json.WriteNumber("registers", GatewayBenchmark.Registers);
            json.WriteNumber("bytes", FrameBytes);
            json.WriteNumber("tags", Tags);
            json.WriteEndObject();
            json.WriteNumber("guest_bytes", GuestBytes);
            json.WriteNumber("triplet_decode_p50_us", Round(DecodeP50Microseconds));
            json.WriteNumber("triplet_decode_p99_us", Round(DecodeP99Microseconds));
            json.WriteNumber("voted_frames_per_second", Math.Round(FramesPerSecond));
            json.WriteNumber("single_instance_decode_us", Round(SingleInstanceMicroseconds));
            json.WriteNumber("trapped_reset_us", Round(ResetMicroseconds));
            json.WriteNumber("trapped_reset_worst_us", Round(WorstResetMicroseconds));
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public string ToText()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{Version}{(Quick ? ", quick (numbers are not measurements)" : string.Empty)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"frame          FC 0x03, {GatewayBenchmark.Registers} registers, {FrameBytes} bytes, {Tags} tags; guest {GuestBytes} bytes");
        text.AppendLine(CultureInfo.InvariantCulture, $"triplet decode p50 {DecodeP50Microseconds,8:F2} us   p99 {DecodeP99Microseconds,8:F2} us   (2oo3, three instances, vote, memory check)");
        text.AppendLine(CultureInfo.InvariantCulture, $"voted frames   {FramesPerSecond,10:F0} /s   one core");
        text.AppendLine(CultureInfo.InvariantCulture, $"one instance   {SingleInstanceMicroseconds,10:F2} us   decode only");
        text.AppendLine(CultureInfo.InvariantCulture, $"reset          {ResetMicroseconds,10:F2} us   instance trapped half-way through a decode (median; worst {WorstResetMicroseconds:F2} us)");
        return text.ToString();
    }

    private static double Round(double value) => Math.Round(value, 3);
}
