namespace Appliance.Sandbox.Parsing;

/// <summary>The cases of the <c>value</c> variant of <c>wit/modbus-parser.wit</c>, in order.</summary>
public enum ValueCase : byte
{
    Boolean,
    Signed,
    Unsigned,
    Real,
    Text,
}
