using System.Buffers.Binary;
using Appliance.Sandbox.Parsing;

namespace Appliance.Fuzz;

/// <summary>
/// Random inputs for the parser differential (<see cref="ParserDifferentialTarget"/>), deterministic for a seed: tag
/// maps of every kind, byte order, bit, length, scale and offset (mostly valid, some broken in one field, now and
/// then far too many), requests (mostly answerable, near address 0 and near 65535), and response ADUs (valid,
/// lying in one header field, exceptions of every code and size, truncated, padded, mutated, noise) whose registers
/// hold the values parsers get wrong: extremes, NaN and infinity patterns, negative zero, printable text with
/// NUL padding and stray bytes.
/// </summary>
public sealed class ParserCases(int seed)
{
    /// <summary>Tag counts tried around the limits a parser may have.</summary>
    private static readonly int[] LargeCounts = [255, 256, 257, 511, 512, 513, 1023, 1024, 1025, 2047, 2048, 2049, 4095, 4096, 4097, 8192];

    private static readonly double[] Scales = [0, -0.0, 1, -1, 0.5, 0.25, 0.1, 2, 10, 1e-3, 1e-300, 1e300, -1e300, 5e-324, double.MaxValue, double.MinValue, double.Epsilon, 3.0000000000000004];

    private static readonly double[] NotFinite = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, BitConverter.UInt64BitsToDouble(0xFFF8_0000_0000_0001)];

    private static readonly ulong[] Float64Patterns =
    [
        0x7FF8_0000_0000_0000, 0x7FF0_0000_0000_0001, 0xFFF8_0000_0000_0000, 0x7FF0_0000_0000_0000, 0xFFF0_0000_0000_0000,
        0x8000_0000_0000_0000, 0x0000_0000_0000_0001, 0x7FEF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF, 0x3FF0_0000_0000_0000,
    ];

    private static readonly uint[] Float32Patterns =
    [
        0x7FC0_0000, 0x7F80_0001, 0xFFC0_0000, 0x7F80_0000, 0xFF80_0000, 0x8000_0000, 0x0000_0001, 0x7F7F_FFFF, 0xFFFF_FFFF, 0x3F80_0000,
    ];

    private static readonly ulong[] IntegerPatterns =
    [
        0, 1, 0x8000_0000_0000_0000, 0x7FFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF, 0x0000_0000_8000_0000, 0x0000_0000_FFFF_FFFF, 0x8000, 0x7FFF, 0xFFFF,
    ];

    private readonly Random _random = new(seed);
    private readonly Mutator _mutator = new(seed);

    /// <summary>A request: FC 3 or 4 with 1 to 125 registers nine times in ten, anything otherwise.</summary>
    public ParserRequest Request()
    {
        ushort address = _random.Next(10) switch
        {
            < 4 => (ushort)_random.Next(200),
            < 6 => (ushort)(65535 - _random.Next(200)),
            6 => 0,
            _ => (ushort)_random.Next(65536),
        };
        ushort quantity = _random.Next(20) switch
        {
            0 => 0,
            1 => (ushort)(126 + _random.Next(5)),
            2 => (ushort)_random.Next(65536),
            3 => 125,
            _ => (ushort)(1 + _random.Next(_random.Next(2) == 0 ? 16 : 125)),
        };
        byte function = _random.Next(20) == 0 ? (byte)_random.Next(256) : (byte)(3 + _random.Next(2));
        return new ParserRequest((ushort)_random.Next(65536), (byte)_random.Next(256), function, address, quantity);
    }

    /// <summary>Whether the next ADU answers a new request (one in four) rather than the same one again.</summary>
    public bool NextRequestChanges() => _random.Next(4) == 0;

    /// <summary>A tag map around the request's registers.</summary>
    public ParserTag[] Tags(in ParserRequest request)
    {
        int count = _random.Next(1000) switch
        {
            0 => LargeCounts[_random.Next(LargeCounts.Length)],
            < 50 => 65 + _random.Next(240),
            < 300 => 13 + _random.Next(52),
            _ => _random.Next(13),
        };
        var tags = new ParserTag[count];
        for (int i = 0; i < count; i++)
        {
            tags[i] = Tag(request, broken: count < 300 ? _random.Next(12) == 0 : _random.Next(2000) == 0);
        }

        return tags;
    }

    private ParserTag Tag(in ParserRequest request, bool broken)
    {
        var kind = (TagKind)_random.Next(10);
        ushort length = kind switch
        {
            TagKind.Text => (ushort)(_random.Next(4) == 0 ? 1 + _random.Next(125) : 1 + _random.Next(6)),
            TagKind.Int32 or TagKind.UInt32 or TagKind.Float32 => 2,
            TagKind.Int64 or TagKind.UInt64 or TagKind.Float64 => 4,
            _ => 1,
        };
        int span = Math.Min((int)request.Quantity, 125);
        ushort address = _random.Next(10) switch
        {
            < 8 => (ushort)Math.Clamp(request.Address - 4 + _random.Next(span + 8), 0, 65535),
            8 => (ushort)(65535 - _random.Next(8)),
            _ => (ushort)_random.Next(65536),
        };
        bool single = kind is TagKind.Bit or TagKind.Int16 or TagKind.UInt16 or TagKind.Text;
        bool byteSwap = kind != TagKind.Bit && _random.Next(2) == 0;
        bool wordSwap = !single && _random.Next(2) == 0;
        byte bit = kind == TagKind.Bit ? (byte)_random.Next(16) : (byte)0;
        bool numeric = kind is not (TagKind.Bit or TagKind.Text);
        (double scale, double offset) = numeric && _random.Next(5) < 2 ? (Scale(), Scale()) : (1.0, 0.0);
        if (numeric && _random.Next(10) == 0)
        {
            (scale, offset) = _random.Next(2) == 0 ? (1.0, -0.0) : (Scale(), 0.0);
        }

        var tag = new ParserTag(address, kind, byteSwap, wordSwap, bit, length, scale, offset);
        return broken ? Break(tag) : tag;
    }

    /// <summary>The tag with one field a parser must refuse (or, for a few, one at the edge of what it accepts).</summary>
    private ParserTag Break(ParserTag tag) => _random.Next(10) switch
    {
        0 => tag with { Bit = (byte)(_random.Next(2) == 0 ? 16 + _random.Next(240) : 1 + _random.Next(15)) },
        1 => tag with { Length = (ushort)(_random.Next(2) == 0 ? _random.Next(130) : tag.Length + (_random.Next(2) == 0 ? 1 : -1)) },
        2 => tag with { Length = (ushort)_random.Next(65536) },
        3 => tag with { WordSwap = true },
        4 => tag with { ByteSwap = true },
        5 => tag with { Scale = NotFinite[_random.Next(NotFinite.Length)] },
        6 => tag with { Offset = NotFinite[_random.Next(NotFinite.Length)] },
        7 => tag with { Scale = Scale(), Offset = _random.Next(2) == 0 ? 0 : Scale() },
        8 => tag with { Kind = (TagKind)(10 + _random.Next(246)) }, // past the enum: no component runtime lifts it, the host can write it
        _ => tag with { Bit = (byte)_random.Next(256), Length = (ushort)_random.Next(8), WordSwap = _random.Next(2) == 0 },
    };

    private double Scale() => _random.Next(4) switch
    {
        0 => (_random.NextDouble() * 2000) - 1000,
        1 => BitConverter.UInt64BitsToDouble((ulong)_random.NextInt64() & 0x7FEF_FFFF_FFFF_FFFF) * (_random.Next(2) == 0 ? 1 : -1),
        _ => Scales[_random.Next(Scales.Length)],
    };

    /// <summary>A response ADU for the request: valid or damaged in one of the ways a PLC or an attacker could.</summary>
    public byte[] Adu(in ParserRequest request, IReadOnlyList<ParserTag> tags)
    {
        int quantity = Math.Clamp((int)request.Quantity, 1, 125);
        byte[] valid = Response(request, Registers(request, quantity, tags));
        switch (_random.Next(100))
        {
            case < 45:
                return valid;
            case < 63:
                return _mutator.Mutate(valid);
            case < 71:
                return HeaderLie(valid, request);
            case < 79:
                return Exception(request);
            case < 81:
                return valid[.._random.Next(valid.Length)];
            case < 84:
                byte[] cut = valid[..(8 + _random.Next(valid.Length - 8))]; // the PDU cut short, the length field told
                BinaryPrimitives.WriteUInt16BigEndian(cut.AsSpan(4), (ushort)(cut.Length - 6));
                return cut;
            case < 89:
                byte[] longer = [.. valid, .. Bytes(1 + _random.Next(4))];
                if (_random.Next(2) == 0)
                {
                    BinaryPrimitives.WriteUInt16BigEndian(longer.AsSpan(4), (ushort)(longer.Length - 6));
                }

                return longer;
            case < 94:
                byte[] counted = (byte[])valid.Clone();
                counted[8] = _random.Next(2) == 0 ? (byte)(counted[8] + (_random.Next(2) == 0 ? 1 : -1)) : (byte)_random.Next(256);
                return counted;
            case < 99:
                return Bytes(_random.Next(4) == 0 ? _random.Next(300) : _random.Next(12));
            default:
                // Longer than any length field can tell: 65,536 bytes more than the valid response, so that a
                // received length kept in 16 bits would wrap around to the valid one.
                byte[] giant = new byte[valid.Length + 65_536];
                valid.CopyTo(giant, 0);
                return giant;
        }
    }

    private byte[] Bytes(int count)
    {
        byte[] bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Response(in ParserRequest request, ushort[] registers)
    {
        byte[] adu = new byte[9 + (registers.Length * 2)];
        BinaryPrimitives.WriteUInt16BigEndian(adu, request.Transaction);
        BinaryPrimitives.WriteUInt16BigEndian(adu.AsSpan(4), (ushort)(3 + (registers.Length * 2)));
        adu[6] = request.Unit;
        adu[7] = request.Function;
        adu[8] = (byte)(registers.Length * 2);
        for (int i = 0; i < registers.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(adu.AsSpan(9 + (i * 2)), registers[i]);
        }

        return adu;
    }

    private byte[] HeaderLie(byte[] valid, in ParserRequest request)
    {
        byte[] adu = (byte[])valid.Clone();
        switch (_random.Next(6))
        {
            case 0:
                BinaryPrimitives.WriteUInt16BigEndian(adu, (ushort)(request.Transaction + 1 + _random.Next(65535)));
                break;
            case 1:
                BinaryPrimitives.WriteUInt16BigEndian(adu.AsSpan(2), (ushort)(1 + _random.Next(65535)));
                break;
            case 2:
                int length = BinaryPrimitives.ReadUInt16BigEndian(adu.AsSpan(4));
                BinaryPrimitives.WriteUInt16BigEndian(adu.AsSpan(4), (ushort)(_random.Next(2) == 0 ? length + _random.Next(-3, 4) : _random.Next(65536)));
                break;
            case 3:
                adu[6] = (byte)(request.Unit + 1 + _random.Next(255));
                break;
            case 4:
                adu[7] = _random.Next(3) switch
                {
                    0 => (byte)(request.Function ^ 0x07),
                    1 => (byte)((request.Function ^ 0x07) | 0x80),
                    _ => (byte)_random.Next(256),
                };
                break;
            default:
                BinaryPrimitives.WriteUInt16BigEndian(adu.AsSpan(4), (ushort)_random.Next(2, 254));
                break;
        }

        return adu;
    }

    /// <summary>An exception response: any code, the right size mostly, sometimes without its code or with bytes after it.</summary>
    private byte[] Exception(in ParserRequest request)
    {
        int extra = _random.Next(8) switch
        {
            0 => -1,
            1 => 1 + _random.Next(3),
            _ => 0,
        };
        byte[] adu = new byte[9 + extra];
        BinaryPrimitives.WriteUInt16BigEndian(adu, request.Transaction);
        BinaryPrimitives.WriteUInt16BigEndian(adu.AsSpan(4), (ushort)(adu.Length - 6));
        adu[6] = request.Unit;
        adu[7] = (byte)(request.Function | 0x80);
        if (adu.Length > 8)
        {
            adu[8] = (byte)(_random.Next(2) == 0 ? _random.Next(16) : _random.Next(256));
        }

        for (int i = 9; i < adu.Length; i++)
        {
            adu[i] = (byte)_random.Next(256);
        }

        return adu;
    }

    /// <summary>Register values: noise, with the registers of some tags set to a value chosen for their kind.</summary>
    private ushort[] Registers(in ParserRequest request, int quantity, IReadOnlyList<ParserTag> tags)
    {
        ushort[] registers = new ushort[quantity];
        for (int i = 0; i < quantity; i++)
        {
            registers[i] = _random.Next(8) switch
            {
                0 => 0,
                1 => 0xFFFF,
                2 => (ushort)((0x20 + _random.Next(95)) << 8 | (0x20 + _random.Next(95))),
                _ => (ushort)_random.Next(65536),
            };
        }

        foreach (ParserTag tag in tags.Count > 64 ? tags.Take(64) : tags)
        {
            int at = tag.Address - request.Address;
            if (at < 0 || at + tag.Length > quantity || tag.Length == 0 || _random.Next(2) == 0)
            {
                continue;
            }

            Span<ushort> span = registers.AsSpan(at, tag.Length);
            switch (tag.Kind)
            {
                case TagKind.Text:
                    Text(span);
                    break;
                case TagKind.Float32 when tag.Length == 2:
                    Lay(span, Float32Patterns[_random.Next(Float32Patterns.Length)], tag);
                    break;
                case TagKind.Float64 when tag.Length == 4:
                    Lay(span, Float64Patterns[_random.Next(Float64Patterns.Length)], tag);
                    break;
                case TagKind.Int32 or TagKind.UInt32 or TagKind.Int64 or TagKind.UInt64 or TagKind.Int16 or TagKind.UInt16:
                    Lay(span, IntegerPatterns[_random.Next(IntegerPatterns.Length)], tag);
                    break;
                default:
                    break;
            }
        }

        return registers;
    }

    /// <summary>Printable characters, then NULs; now and then a stray byte (a control character, DEL, 0x80+ or a NUL) anywhere.</summary>
    private void Text(Span<ushort> registers)
    {
        int bytes = registers.Length * 2;
        int printable = _random.Next(bytes + 1);
        Span<byte> text = stackalloc byte[bytes];
        for (int i = 0; i < bytes; i++)
        {
            text[i] = i < printable ? (byte)(0x20 + _random.Next(95)) : (byte)0;
        }

        if (_random.Next(4) == 0)
        {
            byte[] strays = [0x00, 0x01, 0x1F, 0x7F, 0x80, 0xFF, 0x0A];
            text[_random.Next(bytes)] = strays[_random.Next(strays.Length)];
        }

        for (int i = 0; i < registers.Length; i++)
        {
            registers[i] = BinaryPrimitives.ReadUInt16BigEndian(text[(i * 2)..]);
        }
    }

    /// <summary>Writes a value (its low 16 × length bits) into the registers in the tag's byte order.</summary>
    private static void Lay(Span<ushort> registers, ulong value, in ParserTag tag)
    {
        int count = registers.Length;
        for (int j = 0; j < count; j++)
        {
            var word = (ushort)(value >> (16 * (count - 1 - j)));
            if (tag.ByteSwap)
            {
                word = BinaryPrimitives.ReverseEndianness(word);
            }

            registers[tag.WordSwap ? count - 1 - j : j] = word;
        }
    }
}
