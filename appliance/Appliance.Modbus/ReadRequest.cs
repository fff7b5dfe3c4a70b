using System.Buffers.Binary;

namespace Appliance.Modbus;

/// <summary>
/// One read of consecutive registers: function 0x03 or 0x04, 1 to 125 registers. The request ADU is
/// built from the trusted plan only (<see cref="RequestPlanner"/>).
/// </summary>
/// <remarks>
/// <code>
/// // Modbus Application Protocol v1.1b3 §6.3 (0x03) and §6.4 (0x04), in an MBAP ADU
/// // (Modbus Messaging on TCP/IP Implementation Guide v1.0b §3.1.3)
/// //
/// //  0        2        4        6      7      8          10         12
/// //  +--------+--------+--------+------+------+----------+----------+
/// //  | tid    | 0x0000 | 0x0006 | unit | 0x03 | starting | quantity |
/// //  |        |        |        | id   | 0x04 | address  | 1..125   |
/// //  +--------+--------+--------+------+------+----------+----------+
/// </code>
/// </remarks>
public readonly record struct ReadRequest
{
    /// <summary>Bytes in a request ADU.</summary>
    public const int AduLength = 12;

    /// <summary>Most registers one read may ask for (§6.3, §6.4: 1 to 125, 0x7D).</summary>
    public const int MaxQuantity = 125;

    /// <summary>Registers are addressed 0..65535.</summary>
    public const int AddressSpace = 65_536;

    private const int FunctionOffset = 7;
    private const int AddressOffset = 8;
    private const int QuantityOffset = 10;
    private const ushort PduLengthField = 6; // unit id, function, address, quantity

    public ReadRequest(byte unitId, ReadFunction function, ushort address, ushort quantity)
    {
        if (function is not (ReadFunction.ReadHoldingRegisters or ReadFunction.ReadInputRegisters))
        {
            throw new ArgumentOutOfRangeException(nameof(function), function, "only function codes 0x03 and 0x04 are ever sent");
        }

        ArgumentOutOfRangeException.ThrowIfZero(quantity);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quantity, MaxQuantity);
        if (address + quantity > AddressSpace)
        {
            throw new ArgumentOutOfRangeException(nameof(quantity), quantity, $"registers {address}..{address + quantity - 1} run past the last register 65535");
        }

        UnitId = unitId;
        Function = function;
        Address = address;
        Quantity = quantity;
    }

    /// <summary>The unit id written in the MBAP header.</summary>
    public byte UnitId { get; }

    /// <summary>0x03 (holding registers) or 0x04 (input registers).</summary>
    public ReadFunction Function { get; }

    /// <summary>Protocol address of the first register.</summary>
    public ushort Address { get; }

    /// <summary>Registers read, 1 to 125.</summary>
    public ushort Quantity { get; }

    /// <summary>Writes the 12-byte request ADU with <paramref name="transactionId"/>; returns 12.</summary>
    public int Write(Span<byte> destination, ushort transactionId)
    {
        if (Quantity == 0)
        {
            throw new InvalidOperationException("a default ReadRequest reads nothing; construct one with a quantity of 1 to 125");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, AduLength, nameof(destination));
        new MbapHeader(transactionId, 0, PduLengthField, UnitId).Write(destination);
        destination[FunctionOffset] = (byte)Function;
        BinaryPrimitives.WriteUInt16BigEndian(destination[AddressOffset..], Address);
        BinaryPrimitives.WriteUInt16BigEndian(destination[QuantityOffset..], Quantity);
        return AduLength;
    }

    public override string ToString() => $"unit {UnitId} fc 0x{(byte)Function:X2} address {Address} quantity {Quantity}";
}
