namespace Appliance.Config;

/// <summary>Which registers a poll group reads, and so which read-only function code it uses.</summary>
public enum RegisterArea
{
    /// <summary>Holding registers, function code 0x03 (Modbus Application Protocol v1.1b3 §6.3).</summary>
    Holding = 0x03,

    /// <summary>Input registers, function code 0x04 (§6.4).</summary>
    Input = 0x04,
}
