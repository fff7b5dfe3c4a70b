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
    TripletFigures Lockstep,
    LaneFigures Interpreter,
    string DefaultLanes,
    TripletFigures Default,
    LaneFigures Wasmtime)
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

            // The interpreter lockstep triplet and the interpreter lane, under the names earlier versions used.
            json.WriteNumber("triplet_decode_p50_us", Round(Lockstep.DecodeP50Microseconds));
            json.WriteNumber("triplet_decode_p99_us", Round(Lockstep.DecodeP99Microseconds));
            json.WriteNumber("voted_frames_per_second", Math.Round(Lockstep.FramesPerSecond));
            json.WriteNumber("single_instance_decode_us", Round(Interpreter.DecodeMicroseconds));
            json.WriteNumber("trapped_reset_us", Round(Interpreter.ResetMicroseconds));
            json.WriteNumber("trapped_reset_worst_us", Round(Interpreter.WorstResetMicroseconds));

            json.WriteStartObject("default_triplet");
            json.WriteString("lanes", DefaultLanes);
            json.WriteNumber("decode_p50_us", Round(Default.DecodeP50Microseconds));
            json.WriteNumber("decode_p99_us", Round(Default.DecodeP99Microseconds));
            json.WriteNumber("voted_frames_per_second", Math.Round(Default.FramesPerSecond));
            json.WriteEndObject();
            json.WriteStartObject("wasmtime_lane");
            json.WriteNumber("decode_us", Round(Wasmtime.DecodeMicroseconds));
            json.WriteNumber("trapped_reset_us", Round(Wasmtime.ResetMicroseconds));
            json.WriteNumber("trapped_reset_worst_us", Round(Wasmtime.WorstResetMicroseconds));
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public string ToText()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{Version}{(Quick ? ", quick (numbers are not measurements)" : string.Empty)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"frame          FC 0x03, {GatewayBenchmark.Registers} registers, {FrameBytes} bytes, {Tags} tags; guest {GuestBytes} bytes");
        text.AppendLine(CultureInfo.InvariantCulture, $"lockstep       p50 {Lockstep.DecodeP50Microseconds,8:F2} us   p99 {Lockstep.DecodeP99Microseconds,8:F2} us   {Lockstep.FramesPerSecond,8:F0} voted frames/s   (3 x interpreter, vote, memory check)");
        text.AppendLine(CultureInfo.InvariantCulture, $"default        p50 {Default.DecodeP50Microseconds,8:F2} us   p99 {Default.DecodeP99Microseconds,8:F2} us   {Default.FramesPerSecond,8:F0} voted frames/s   ({DefaultLanes})");
        text.AppendLine(CultureInfo.InvariantCulture, $"interpreter    decode {Interpreter.DecodeMicroseconds,8:F2} us   reset after a trap {Interpreter.ResetMicroseconds,8:F2} us (worst {Interpreter.WorstResetMicroseconds:F2})");
        text.AppendLine(CultureInfo.InvariantCulture, $"wasmtime       decode {Wasmtime.DecodeMicroseconds,8:F2} us   reset after a trap {Wasmtime.ResetMicroseconds,8:F2} us (worst {Wasmtime.WorstResetMicroseconds:F2}; a new store and instance, configured)");
        return text.ToString();
    }

    private static double Round(double value) => Math.Round(value, 3);
}
