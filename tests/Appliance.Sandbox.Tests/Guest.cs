using Appliance.Testing;
using Appliance.Sandbox.Parsing;

namespace Appliance.Sandbox.Tests;

/// <summary>
/// The parser guests, built from guest/ by the same build step as the executable's: <c>modbus-parser</c> (Rust,
/// guest/modbus-parser) and <c>modbus-parser-c</c> (C, guest/modbus-parser-c), two independent implementations of
/// world <c>modbus-sandbox</c>.
/// </summary>
internal static class Guest
{
    public const string RustName = "modbus-parser";

    public const string CName = "modbus-parser-c";

    private static readonly Lazy<byte[]> Bytes = new(() => EmbeddedGuest.Read(typeof(Guest).Assembly, RustName));

    private static readonly Lazy<byte[]> CBytes = new(() => EmbeddedGuest.Read(typeof(Guest).Assembly, CName));

    /// <summary>The Rust parser, the one the gateway runs.</summary>
    public static byte[] ModbusParser => Bytes.Value;

    /// <summary>The C parser.</summary>
    public static byte[] ModbusParserC => CBytes.Value;

    /// <summary>The limits the appliance ships with ([tmr] in ExampleConfig.toml).</summary>
    public static SandboxLimits Limits { get; } = new(Fuel: 1_000_000, MemoryPages: 16, StackSlots: 16_384, CallDepth: 256);

    public static ParserModule Module(SandboxLimits? limits = null) => ParserModule.Compile(ModbusParser, limits ?? Limits);

    public static ParserModule CModule(SandboxLimits? limits = null) => ParserModule.Compile(ModbusParserC, limits ?? Limits);

    /// <summary>A parser guest by its name.</summary>
    public static byte[] Named(string name) => name switch
    {
        RustName => ModbusParser,
        CName => ModbusParserC,
        _ => throw new ArgumentException($"no parser guest \"{name}\"", nameof(name)),
    };
}
