using Appliance.Testing;
using Appliance.Sandbox.Parsing;

namespace Appliance.Sandbox.Tests;

/// <summary>The modbus-parser guest, built from guest/modbus-parser by the same build step as the executable's.</summary>
internal static class Guest
{
    private static readonly Lazy<byte[]> Bytes = new(() => EmbeddedGuest.Read(typeof(Guest).Assembly, "modbus-parser"));

    public static byte[] ModbusParser => Bytes.Value;

    /// <summary>The limits the appliance ships with ([tmr] in ExampleConfig.toml).</summary>
    public static SandboxLimits Limits { get; } = new(Fuel: 1_000_000, MemoryPages: 16, StackSlots: 16_384, CallDepth: 256);

    public static ParserModule Module(SandboxLimits? limits = null) => ParserModule.Compile(ModbusParser, limits ?? Limits);
}
