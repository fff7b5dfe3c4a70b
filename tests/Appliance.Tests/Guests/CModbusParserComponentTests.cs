namespace Appliance.Tests.Guests;

/// <summary>The component rows of <see cref="ModbusParserComponentTests"/> on the C parser, <c>modbus-parser-c</c>.</summary>
public sealed class CModbusParserComponentTests(CModbusParserComponentTests.C component)
    : ModbusParserComponentTests(component), IClassFixture<CModbusParserComponentTests.C>
{
    public sealed class C() : Component("modbus-parser-c");
}
