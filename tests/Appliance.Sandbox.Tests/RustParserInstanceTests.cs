namespace Appliance.Sandbox.Tests;

/// <summary>The contract rows of <see cref="ParserInstanceTests"/> on the Rust parser (guest/modbus-parser).</summary>
public sealed class RustParserInstanceTests : ParserInstanceTests
{
    private static readonly Sandbox.Parsing.ParserModule Compiled = Guest.Module();

    public RustParserInstanceTests()
        : base(Compiled)
    {
    }
}
