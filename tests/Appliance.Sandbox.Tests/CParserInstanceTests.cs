namespace Appliance.Sandbox.Tests;

/// <summary>The contract rows of <see cref="ParserInstanceTests"/> on the C parser (guest/modbus-parser-c).</summary>
public sealed class CParserInstanceTests : ParserInstanceTests
{
    private static readonly Sandbox.Parsing.ParserModule Compiled = Guest.CModule();

    public CParserInstanceTests()
        : base(Compiled)
    {
    }
}
