namespace Appliance.Sandbox.Parsing;

/// <summary>The <c>kind</c> enum of <c>wit/modbus-parser.wit</c>, in its order (the discriminant is the value).</summary>
public enum TagKind : byte
{
    Bit,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    UInt64,
    Float32,
    Float64,
    Text,
}
