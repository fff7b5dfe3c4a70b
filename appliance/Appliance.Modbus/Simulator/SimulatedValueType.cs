namespace Appliance.Modbus.Simulator;

/// <summary>How a simulated tag's registers hold its value.</summary>
public enum SimulatedValueType
{
    /// <summary>One bit of one register.</summary>
    Bit,

    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    UInt64,
    Float32,
    Float64,

    /// <summary>ASCII text, two characters per register.</summary>
    String,
}
