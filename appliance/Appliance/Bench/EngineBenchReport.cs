using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Appliance.Bench;

/// <summary>The results of <see cref="EngineBenchmark"/>, as JSON for scripts or as text for people.</summary>
internal sealed record EngineBenchReport(
    string Version,
    bool Quick,
    bool FuelMetering,
    int DispatchLayout,
    int ModuleBytes,
    double InstantiateMicroseconds,
    double ResetMicroseconds,
    double CallNanoseconds,
    IReadOnlyList<KernelResult> Kernels)
{
    /// <summary>
    /// One JSON object: <c>instantiate_us</c>, <c>reset_us</c>, <c>call_ns</c> (medians), the module they were
    /// measured on, and <c>kernels</c> by name, each with <c>n</c>, <c>runs</c>, <c>ms</c> (median) and <c>checksum</c>.
    /// </summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("benchmark", "engine");
            json.WriteString("version", Version);
            json.WriteBoolean("quick", Quick);
            json.WriteBoolean("fuel_metering", FuelMetering);
            json.WriteNumber("dispatch_layout", DispatchLayout);
            json.WriteStartObject("parser_module");
            json.WriteNumber("bytes", ModuleBytes);
            json.WriteNumber("functions", ParserShapedModule.FunctionCount);
            json.WriteNumber("memory_pages", 1);
            json.WriteNumber("data_bytes", ParserShapedModule.DataBytes);
            json.WriteEndObject();
            json.WriteNumber("instantiate_us", Round(InstantiateMicroseconds));
            json.WriteNumber("reset_us", Round(ResetMicroseconds));
            json.WriteNumber("call_ns", Round(CallNanoseconds));
            json.WriteStartObject("kernels");
            foreach (KernelResult kernel in Kernels)
            {
                json.WriteStartObject(kernel.Name);
                json.WriteNumber("n", kernel.N);
                json.WriteNumber("runs", kernel.Runs);
                json.WriteNumber("ms", Round(kernel.Milliseconds));
                json.WriteNumber("checksum", kernel.Checksum);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public string ToText()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{Version}, fuel metering {(FuelMetering ? "on" : "off")}, dispatch layout {DispatchLayout}{(Quick ? ", quick (numbers are not measurements)" : string.Empty)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"instantiate   {InstantiateMicroseconds,10:F2} us   parser-shaped module, {ModuleBytes} bytes, 1 page, from a compiled Module");
        text.AppendLine(CultureInfo.InvariantCulture, $"reset         {ResetMicroseconds,10:F2} us   64 KiB instance after it wrote to its memory");
        text.AppendLine(CultureInfo.InvariantCulture, $"call          {CallNanoseconds,10:F1} ns   host to guest, add(i32, i32)");
        foreach (KernelResult kernel in Kernels)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{kernel.Name,-12}  {kernel.Milliseconds,10:F2} ms   n={kernel.N}, median of {kernel.Runs}, checksum {kernel.Checksum}");
        }

        return text.ToString();
    }

    private static double Round(double value) => Math.Round(value, 4);
}
