using Appliance.Testing;

namespace Appliance.Gateway.Tests;

/// <summary>The parser guests embedded in this test assembly.</summary>
internal static class Guest
{
    private static readonly Lazy<byte[]> Bytes = new(() => EmbeddedGuest.Read(typeof(Guest).Assembly, "modbus-parser"));
    private static readonly Lazy<byte[]> CBytes = new(() => EmbeddedGuest.Read(typeof(Guest).Assembly, "modbus-parser-c"));
    private static readonly Lazy<byte[]> SlipBytes = new(() => EmbeddedGuest.Read(typeof(Guest).Assembly, "modbus-parser-c-slip"));

    public static byte[] ModbusParser => Bytes.Value;

    /// <summary>The C parser: the same world written independently.</summary>
    public static byte[] ModbusParserC => CBytes.Value;

    /// <summary>Test-only: the C parser built with a deliberate byte-order slip for 32- and 64-bit values.</summary>
    public static byte[] ModbusParserCWithSlip => SlipBytes.Value;

    /// <summary>The driver guests by name, as <c>[[driver]] module</c> names them.</summary>
    public static IReadOnlyDictionary<string, byte[]> Drivers => new Dictionary<string, byte[]>
    {
        ["sensor-driver-demo"] = EmbeddedGuest.Read(typeof(Guest).Assembly, "sensor-driver-demo"),
    };

    /// <summary>The parser guests by name, as the gateway's lanes find them.</summary>
    public static IReadOnlyDictionary<string, byte[]> Parsers => new Dictionary<string, byte[]>
    {
        ["modbus-parser"] = ModbusParser,
        ["modbus-parser-c"] = ModbusParserC,
    };
}
