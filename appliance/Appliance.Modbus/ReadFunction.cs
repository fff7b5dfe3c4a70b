namespace Appliance.Modbus;

/// <summary>The only function codes the appliance sends: it reads registers and never writes to a PLC.</summary>
public enum ReadFunction : byte
{
    /// <summary>0x03 Read Holding Registers (Modbus Application Protocol v1.1b3 §6.3).</summary>
    ReadHoldingRegisters = 0x03,

    /// <summary>0x04 Read Input Registers (§6.4).</summary>
    ReadInputRegisters = 0x04,
}
