using Appliance.Testing;

namespace Appliance.Gateway.Tests;

/// <summary>The modbus-parser guest embedded in this test assembly.</summary>
internal static class Guest
{
    private static readonly Lazy<byte[]> Bytes = new(() => EmbeddedGuest.Read(typeof(Guest).Assembly, "modbus-parser"));

    public static byte[] ModbusParser => Bytes.Value;

    /// <summary>The parser guests by name, as the gateway's lanes find them.</summary>
    public static IReadOnlyDictionary<string, byte[]> Parsers => new Dictionary<string, byte[]> { ["modbus-parser"] = ModbusParser };
}
