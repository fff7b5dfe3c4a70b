namespace Appliance.Modbus;

/// <summary>Why an MBAP header cannot frame an ADU.</summary>
public enum MbapFramingError
{
    /// <summary>The length field is 0 or 1: no room for the unit id and a function code.</summary>
    LengthBelowMinimum = 1,

    /// <summary>The length field is above 254: the ADU would be longer than 260 bytes.</summary>
    LengthAboveMaximum = 2,
}
