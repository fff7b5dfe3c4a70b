namespace Appliance.Config;

/// <summary>The data types a tag can be decoded as.</summary>
public enum TagType
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
    String,
}
