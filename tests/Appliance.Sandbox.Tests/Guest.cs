using Appliance.Testing;
using Appliance.Config;
using Appliance.Sandbox.Parsing;

namespace Appliance.Sandbox.Tests;

/// <summary>The modbus-parser guest, built from guest/modbus-parser by the same build step as the executable's.</summary>
internal static class Guest
{
    private static readonly Lazy<byte[]> Bytes = new(() => EmbeddedGuest.Read(typeof(Guest).Assembly, "modbus-parser"));

    public static byte[] ModbusParser => Bytes.Value;

    /// <summary>The [tmr] defaults of the shipped configuration, with fault injection as given.</summary>
    public static TmrConfig Limits(double bitFlipRate = 0, double trapRate = 0, long seed = 1) =>
        ConfigLoader.Parse(ExampleConfig.Utf8, "example", ".").Config!.Tmr with { FaultInjection = new FaultInjectionConfig(bitFlipRate, trapRate, seed) };

    public static ParserModule Module(TmrConfig? limits = null) => ParserModule.Compile(ModbusParser, limits ?? Limits());
}
