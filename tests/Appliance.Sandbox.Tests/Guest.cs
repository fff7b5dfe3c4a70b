using Appliance.Config;
using Appliance.Sandbox.Parsing;

namespace Appliance.Sandbox.Tests;

/// <summary>The modbus-parser guest, built from guest/modbus-parser by the same build step as the executable's.</summary>
internal static class Guest
{
    private static readonly Lazy<byte[]> Bytes = new(() =>
    {
        using Stream stream = typeof(Guest).Assembly.GetManifestResourceStream("guests/modbus-parser.wasm")
            ?? throw new InvalidOperationException("the modbus-parser guest is not embedded in the test assembly");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static byte[] ModbusParser => Bytes.Value;

    /// <summary>The [tmr] defaults of the shipped configuration, with fault injection as given.</summary>
    public static TmrConfig Limits(double bitFlipRate = 0, double trapRate = 0, long seed = 1) =>
        ConfigLoader.Parse(ExampleConfig.Utf8, "example", ".").Config!.Tmr with { FaultInjection = new FaultInjectionConfig(bitFlipRate, trapRate, seed) };

    public static ParserModule Module(TmrConfig? limits = null) => ParserModule.Compile(ModbusParser, limits ?? Limits());
}
