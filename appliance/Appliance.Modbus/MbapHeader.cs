using System.Buffers.Binary;

namespace Appliance.Modbus;

/// <summary>
/// The MBAP header that starts every Modbus TCP ADU. It is the only part of a reply the host reads:
/// its length field frames the ADU; everything after byte 7 is left to the parser sandboxes.
/// </summary>
/// <remarks>
/// <code>
/// // Modbus Messaging on TCP/IP Implementation Guide v1.0b §3.1.3 (MBAP header)
/// //
/// //  0          2          4          6        7
/// //  +----------+----------+----------+--------+--------------------------------+
/// //  | trans-   | protocol | length   | unit   | PDU: function code + data      |
/// //  | action id| id (0)   |          | id     | (at most 253 bytes, §4.1 of    |
/// //  | u16 BE   | u16 BE   | u16 BE   | u8     |  the Application Protocol)     |
/// //  +----------+----------+----------+--------+--------------------------------+
/// //                         \__ counts the unit id and the PDU: 2..254 ________/
/// </code>
/// A length field below 2 (no room for a function code) or above 254 (an ADU longer than 260 bytes)
/// cannot come from a Modbus server: framing is lost, and <see cref="TryRead"/> throws.
/// </remarks>
public readonly struct MbapHeader : IEquatable<MbapHeader>
{
    /// <summary>Bytes in the header.</summary>
    public const int Size = 7;

    /// <summary>Largest ADU: the header's 7 bytes and a 253-byte PDU (Application Protocol v1.1b3 §4.1).</summary>
    public const int MaxAduLength = 260;

    /// <summary>Smallest valid length field: the unit id and a function code.</summary>
    public const int MinLengthField = 2;

    /// <summary>Largest valid length field: the unit id and a 253-byte PDU.</summary>
    public const int MaxLengthField = MaxAduLength - 6;

    /// <summary>Offset of the transaction identifier.</summary>
    public const int TransactionIdOffset = 0;

    /// <summary>Offset of the protocol identifier (0 for Modbus).</summary>
    public const int ProtocolIdOffset = 2;

    /// <summary>Offset of the length field.</summary>
    public const int LengthOffset = 4;

    /// <summary>Offset of the unit identifier.</summary>
    public const int UnitIdOffset = 6;

    public MbapHeader(ushort transactionId, ushort protocolId, ushort length, byte unitId)
    {
        TransactionId = transactionId;
        ProtocolId = protocolId;
        Length = length;
        UnitId = unitId;
    }

    /// <summary>Pairs a request with its reply; the client chooses it, the server copies it.</summary>
    public ushort TransactionId { get; }

    /// <summary>0 for Modbus. The host does not check it in replies (the parser does).</summary>
    public ushort ProtocolId { get; }

    /// <summary>Bytes that follow the length field: the unit id and the PDU.</summary>
    public ushort Length { get; }

    /// <summary>The addressed unit behind a gateway, or the device itself.</summary>
    public byte UnitId { get; }

    /// <summary>Length of the whole ADU, header included: 6 + <see cref="Length"/>.</summary>
    public int AduLength => 6 + Length;

    /// <summary>Bytes that follow the 7-byte header: <see cref="Length"/> − 1 (the unit id is in the header).</summary>
    public int BodyLength => Length - 1;

    /// <summary>
    /// Reads a header from the start of <paramref name="source"/>. Returns false, and reads nothing, when
    /// fewer than 7 bytes are there. Throws <see cref="MbapFramingException"/> when the length field is
    /// outside 2..254, before anything more is read or buffered.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out MbapHeader header)
    {
        if (source.Length < Size)
        {
            header = default;
            return false;
        }

        ushort length = BinaryPrimitives.ReadUInt16BigEndian(source[LengthOffset..]);
        if (length < MinLengthField)
        {
            MbapFramingException.Throw(MbapFramingError.LengthBelowMinimum, length);
        }

        if (length > MaxLengthField)
        {
            MbapFramingException.Throw(MbapFramingError.LengthAboveMaximum, length);
        }

        header = new MbapHeader(
            BinaryPrimitives.ReadUInt16BigEndian(source[TransactionIdOffset..]),
            BinaryPrimitives.ReadUInt16BigEndian(source[ProtocolIdOffset..]),
            length,
            source[UnitIdOffset]);
        return true;
    }

    /// <summary>
    /// Writes the header into the first 7 bytes of <paramref name="destination"/>, fields as they are:
    /// the writer does not check the length field, so the simulator can write lying headers.
    /// </summary>
    public void Write(Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Size, nameof(destination));
        BinaryPrimitives.WriteUInt16BigEndian(destination[TransactionIdOffset..], TransactionId);
        BinaryPrimitives.WriteUInt16BigEndian(destination[ProtocolIdOffset..], ProtocolId);
        BinaryPrimitives.WriteUInt16BigEndian(destination[LengthOffset..], Length);
        destination[UnitIdOffset] = UnitId;
    }

    public bool Equals(MbapHeader other) =>
        TransactionId == other.TransactionId && ProtocolId == other.ProtocolId && Length == other.Length && UnitId == other.UnitId;

    public override bool Equals(object? obj) => obj is MbapHeader other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(TransactionId, ProtocolId, Length, UnitId);

    public override string ToString() => $"tid {TransactionId}, protocol {ProtocolId}, length {Length}, unit {UnitId}";

    public static bool operator ==(MbapHeader left, MbapHeader right) => left.Equals(right);

    public static bool operator !=(MbapHeader left, MbapHeader right) => !left.Equals(right);
}
