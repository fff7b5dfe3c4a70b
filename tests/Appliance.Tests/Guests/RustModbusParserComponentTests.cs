namespace Appliance.Tests.Guests;

/// <summary>The component rows of <see cref="ModbusParserComponentTests"/> on the Rust parser, <c>modbus-parser</c>.</summary>
public sealed class RustModbusParserComponentTests(RustModbusParserComponentTests.Rust component)
    : ModbusParserComponentTests(component), IClassFixture<RustModbusParserComponentTests.Rust>
{
    public sealed class Rust() : Component("modbus-parser");
}
