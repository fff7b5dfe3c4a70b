using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Unicode;

namespace Appliance.Wasm.Binary;

/// <summary>
/// Reads the primitive encodings of the binary format (Core spec 5.2): bytes, LEB128 integers of a
/// bounded width, IEEE floats, names, vectors. Every read is checked against the end of the input; a
/// problem throws a malformed-module error carrying the offset.
/// </summary>
internal ref struct WasmReader
{
    private readonly ReadOnlySpan<byte> _bytes;
    private readonly int _base;

    /// <param name="baseOffset">Offset of <paramref name="bytes"/> in the whole module, for messages.</param>
    public WasmReader(ReadOnlySpan<byte> bytes, int baseOffset = 0)
    {
        _bytes = bytes;
        _base = baseOffset;
        Position = 0;
    }

    public int Position { get; set; }

    public readonly int Length => _bytes.Length;

    public readonly bool AtEnd => Position >= _bytes.Length;

    public readonly int Remaining => _bytes.Length - Position;

    /// <summary>Offset of the next byte in the whole module.</summary>
    public readonly int Offset => _base + Position;

    public byte ReadByte()
    {
        if (Position >= _bytes.Length)
        {
            Fail("unexpected end");
        }

        return _bytes[Position++];
    }

    public readonly byte PeekByte()
    {
        if (Position >= _bytes.Length)
        {
            Fail("unexpected end");
        }

        return _bytes[Position];
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count < 0 || count > Remaining)
        {
            Fail("unexpected end");
        }

        ReadOnlySpan<byte> slice = _bytes.Slice(Position, count);
        Position += count;
        return slice;
    }

    /// <summary>u32 (Core spec 5.2.2): at most 5 bytes; the unused bits of the last byte must be zero.</summary>
    public uint ReadU32()
    {
        uint result = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = ReadByte();
            if (shift == 28)
            {
                if ((b & 0x80) != 0)
                {
                    Fail("integer representation too long");
                }

                if ((b & 0x70) != 0)
                {
                    Fail("integer too large");
                }
            }

            result |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }
    }

    /// <summary>A u32 used as a count or index, which must fit an int.</summary>
    public int ReadCount()
    {
        uint value = ReadU32();
        return value > int.MaxValue ? int.MaxValue : (int)value;
    }

    /// <summary>s32 (Core spec 5.2.2): the unused bits of the 5th byte must all equal the sign bit.</summary>
    public int ReadS32() => (int)ReadSigned(32);

    /// <summary>s33, for block types (Core spec 5.4.1).</summary>
    public long ReadS33() => ReadSigned(33);

    public long ReadS64() => ReadSigned(64);

    public uint ReadF32Bits()
    {
        ReadOnlySpan<byte> bytes = ReadBytes(4);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes);
    }

    public ulong ReadF64Bits()
    {
        ReadOnlySpan<byte> bytes = ReadBytes(8);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes);
    }

    /// <summary>name (Core spec 5.2.4): a byte vector that must be valid UTF-8.</summary>
    public string ReadName()
    {
        int length = ReadCount();
        if (length > Remaining)
        {
            Fail("length out of bounds");
        }

        ReadOnlySpan<byte> bytes = ReadBytes(length);
        if (!Utf8.IsValid(bytes))
        {
            Fail("malformed UTF-8 encoding");
        }

        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>A vector length that cannot exceed the bytes left (each element takes at least one byte) nor the limit.</summary>
    public int ReadVectorLength(int limit, string what)
    {
        uint length = ReadU32();
        if (length > (uint)Remaining)
        {
            Fail("length out of bounds");
        }

        if (length > (uint)limit)
        {
            throw new WasmModuleException(ModuleErrorKind.LimitExceeded, $"{length} {what} exceed the limit of {limit}", Offset);
        }

        return (int)length;
    }

    public ValueKind ReadValueType()
    {
        byte b = ReadByte();
        return b switch
        {
            0x7F or 0x7E or 0x7D or 0x7C or 0x70 or 0x6F => (ValueKind)b,
            _ => Fail<ValueKind>("malformed value type"),
        };
    }

    public ValueKind ReadReferenceType()
    {
        byte b = ReadByte();
        return b switch
        {
            0x70 or 0x6F => (ValueKind)b,
            _ => Fail<ValueKind>("malformed reference type"),
        };
    }

    [DoesNotReturn]
    public readonly void Fail(string reason) => throw new WasmModuleException(ModuleErrorKind.Malformed, reason, Offset);

    [DoesNotReturn]
    public readonly T Fail<T>(string reason) => throw new WasmModuleException(ModuleErrorKind.Malformed, reason, Offset);

    private long ReadSigned(int bits)
    {
        long result = 0;
        int shift = 0;
        int maxBytes = (bits + 6) / 7;
        for (int i = 0; ; i++)
        {
            byte b = ReadByte();
            if (i == maxBytes - 1)
            {
                if ((b & 0x80) != 0)
                {
                    Fail("integer representation too long");
                }

                // The bits of the last byte beyond the type's width must all be copies of the sign bit.
                int used = bits - shift; // value bits carried by this byte, 1..7
                if (used < 7)
                {
                    int signAndUnused = (b & 0x7F) >> (used - 1);
                    int all = (1 << (7 - used + 1)) - 1;
                    if (signAndUnused != 0 && signAndUnused != all)
                    {
                        Fail("integer too large");
                    }
                }
            }

            result |= (long)(b & 0x7F) << shift;
            shift += 7;
            if ((b & 0x80) == 0)
            {
                if (shift < 64 && (b & 0x40) != 0)
                {
                    result |= -1L << shift;
                }

                return result;
            }
        }
    }
}
