using System.Text;
using Appliance.Sandbox.Parsing;

namespace Appliance.Sandbox.Tests;

/// <summary>
/// One parser sandbox, through the canonical-ABI binding, on valid and invalid responses: the WIT contract by
/// example. Every parser guest passes the same rows (<see cref="RustParserInstanceTests"/>,
/// <see cref="CParserInstanceTests"/>).
/// </summary>
public abstract class ParserInstanceTests
{
    private static readonly ParserRequest Request = new(7, 1, 3, 0, 2);

    protected ParserInstanceTests(ParserModule module) => Module = module;

    private ParserModule Module { get; }

    [Fact]
    public void EveryTypeAndOrderIsDecodedFromOneResponse()
    {
        ParserTag[] tags =
        [
            new(100, TagKind.Int16, false, false, 0, 1, 1, 0),
            new(101, TagKind.UInt16, true, false, 0, 1, 1, 0),
            new(102, TagKind.Int32, false, false, 0, 2, 1, 0),
            new(104, TagKind.UInt32, false, true, 0, 2, 1, 0),
            new(106, TagKind.Float32, true, false, 0, 2, 1, 0),
            new(108, TagKind.Float32, true, true, 0, 2, 1, 0),
            new(110, TagKind.Int64, false, false, 0, 4, 1, 0),
            new(114, TagKind.UInt64, false, true, 0, 4, 1, 0),
            new(118, TagKind.Float64, true, true, 0, 4, 1, 0),
            new(122, TagKind.Bit, false, false, 5, 1, 1, 0),
            new(122, TagKind.Bit, false, false, 0, 1, 1, 0),
            new(123, TagKind.Text, false, false, 0, 3, 1, 0),
            new(126, TagKind.Int16, false, false, 0, 1, 0.5, 10),
            new(127, TagKind.Float32, false, false, 0, 2, 1, 0),
            new(129, TagKind.Text, false, false, 0, 1, 1, 0),
        ];
        ushort[] registers =
        [
            0xFFFE, // 100 int16 -2
            0x3412, // 101 uint16 0x1234, BA
            0xFFFE, 0x7960, // 102 int32 -100000, ABCD
            0xCDEF, 0x89AB, // 104 uint32 0x89ABCDEF, CDAB
            0xC03F, 0x0000, // 106 float32 1.5 (3FC00000), BADC
            0x0000, 0x10C0, // 108 float32 -2.25 (C0100000), DCBA
            0xFFFF, 0xFFFF, 0xFFFF, 0xFFFB, // 110 int64 -5
            0x0708, 0x0506, 0x0304, 0x0102, // 114 uint64 0x0102030405060708, GHEFCDAB
            0x0000, 0x0000, 0x0000, 0x0A40, // 118 float64 3.25 (400A000000000000), HGFEDCBA
            0x0020, // 122 bit 5 set, bit 0 clear
            0x4142, 0x2D31, 0x0000, // 123 "AB-1" and NULs
            0x0004, // 126 raw 4 → 4 × 0.5 + 10
            0x7FC0, 0x0001, // 127 a NaN
            0x4101, // 129 'A' and a control byte
        ];
        ParserInstance parser = ParserInstance.Create(Module, tags);
        var request = new ParserRequest(9, 1, 3, 100, 30);

        Assert.Equal(RunStatus.Completed, parser.Decode(request, Frames.Response(request, registers)));

        var readings = Read(parser.LastOutcome);
        Assert.Equal(Enumerable.Range(0, tags.Length).Select(i => (uint)i), readings.Select(r => r.Tag));
        Assert.Equal((ValueCase.Signed, -2L), (readings[0].Case, (long)readings[0].Bits));
        Assert.Equal((ValueCase.Unsigned, 0x1234UL), (readings[1].Case, readings[1].Bits));
        Assert.Equal(-100000L, (long)readings[2].Bits);
        Assert.Equal(0x89ABCDEFUL, readings[3].Bits);
        Assert.Equal(1.5, BitConverter.UInt64BitsToDouble(readings[4].Bits));
        Assert.Equal(-2.25, BitConverter.UInt64BitsToDouble(readings[5].Bits));
        Assert.Equal(-5L, (long)readings[6].Bits);
        Assert.Equal(0x0102030405060708UL, readings[7].Bits);
        Assert.Equal(3.25, BitConverter.UInt64BitsToDouble(readings[8].Bits));
        Assert.Equal((ValueCase.Boolean, 1UL), (readings[9].Case, readings[9].Bits));
        Assert.Equal((ValueCase.Boolean, 0UL), (readings[10].Case, readings[10].Bits));
        Assert.Equal((ValueCase.Text, "AB-1"), (readings[11].Case, readings[11].Text));
        Assert.Equal((ValueCase.Real, 12.0), (readings[12].Case, BitConverter.UInt64BitsToDouble(readings[12].Bits)));
        Assert.Equal((Quality.NotFinite, 0x7FF8_0000_0000_0000UL), (readings[13].Quality, readings[13].Bits));
        Assert.Equal((Quality.NotText, ""), (readings[14].Quality, readings[14].Text));
        Assert.All(readings.Take(13), r => Assert.Equal(Quality.Good, r.Quality));
    }

    [Theory]
    [InlineData(false, false, new ushort[] { 0x1122, 0x3344 })] // ABCD
    [InlineData(false, true, new ushort[] { 0x3344, 0x1122 })] // CDAB
    [InlineData(true, false, new ushort[] { 0x2211, 0x4433 })] // BADC
    [InlineData(true, true, new ushort[] { 0x4433, 0x2211 })] // DCBA
    public void ThirtyTwoBitOrdersAllGiveTheSameValue(bool byteSwap, bool wordSwap, ushort[] registers)
    {
        ParserInstance parser = ParserInstance.Create(Module, [new(0, TagKind.UInt32, byteSwap, wordSwap, 0, 2, 1, 0)]);

        Assert.Equal(RunStatus.Completed, parser.Decode(Request, Frames.Response(Request, registers)));
        Assert.Equal(0x11223344UL, Read(parser.LastOutcome).Single().Bits);
    }

    [Theory]
    [InlineData(false, false, new ushort[] { 0x1122, 0x3344, 0x5566, 0x7788 })] // ABCDEFGH
    [InlineData(false, true, new ushort[] { 0x7788, 0x5566, 0x3344, 0x1122 })] // GHEFCDAB
    [InlineData(true, false, new ushort[] { 0x2211, 0x4433, 0x6655, 0x8877 })] // BADCFEHG
    [InlineData(true, true, new ushort[] { 0x8877, 0x6655, 0x4433, 0x2211 })] // HGFEDCBA
    public void SixtyFourBitOrdersAllGiveTheSameValue(bool byteSwap, bool wordSwap, ushort[] registers)
    {
        ParserInstance parser = ParserInstance.Create(Module, [new(0, TagKind.UInt64, byteSwap, wordSwap, 0, 4, 1, 0)]);
        var request = Request with { Quantity = 4 };

        Assert.Equal(RunStatus.Completed, parser.Decode(request, Frames.Response(request, registers)));
        Assert.Equal(0x1122334455667788UL, Read(parser.LastOutcome).Single().Bits);
    }

    public static TheoryData<string, byte[], DecodeError, uint> Refused()
    {
        byte[] valid = Frames.Response(Request, 0x0102, 0x0304);
        byte[] trailing = [.. valid, 0x99];
        trailing[5]++;
        byte[] countTooLarge = Frames.With(valid, 8, 6);
        return new()
        {
            { "truncated", valid[..7], DecodeError.Truncated, 7 },
            { "protocol id", Frames.With(valid, 2, 1), DecodeError.ProtocolId, 256 },
            { "length field 1", Frames.With(valid, 5, 1), DecodeError.LengthOutOfRange, 1 },
            { "length field 254", Frames.With(valid, 5, 254), DecodeError.LengthOutOfRange, 254 },
            { "length longer than received", Frames.With(valid, 5, 8), DecodeError.LengthMismatch, 8 },
            { "length shorter than received", Frames.With(valid, 5, 6), DecodeError.LengthMismatch, 6 },
            { "transaction id", Frames.With(valid, 1, 8), DecodeError.TransactionMismatch, 8 },
            { "unit id", Frames.With(valid, 6, 2), DecodeError.UnitMismatch, 2 },
            { "function code", Frames.With(valid, 7, 4), DecodeError.FunctionMismatch, 4 },
            { "exception 2", Frames.Exception(Request, 2), DecodeError.Exception, 2 },
            { "exception 11", Frames.Exception(Request, 11), DecodeError.Exception, 11 },
            { "exception code 0", Frames.Exception(Request, 0), DecodeError.BadException, 0 },
            { "exception code 12", Frames.Exception(Request, 12), DecodeError.BadException, 12 },
            { "byte count too large", countTooLarge, DecodeError.ByteCountMismatch, 6 },
            { "byte count odd", Frames.With(valid, 8, 3), DecodeError.ByteCountMismatch, 3 },
            { "a byte trailing the data", trailing, DecodeError.ByteCountMismatch, 4 },
        };
    }

    [Theory]
    [MemberData(nameof(Refused), MemberType = typeof(ParserInstanceTests))]
    public void AMalformedResponseIsRefusedWithItsTypedError(string what, byte[] adu, DecodeError error, uint detail)
    {
        ParserInstance parser = ParserInstance.Create(Module, [new(0, TagKind.UInt16, false, false, 0, 1, 1, 0)]);

        Assert.Equal(RunStatus.Completed, parser.Decode(Request, adu));
        Assert.True(Outcome.IsError(parser.LastOutcome, out DecodeError actual, out uint actualDetail), what);
        Assert.Equal((error, detail), (actual, actualDetail));
    }

    [Theory]
    [InlineData(6, 2)]
    [InlineData(3, 0)]
    [InlineData(4, 126)]
    public void ARequestTheParserDoesNotAnswerIsABadRequest(byte function, ushort quantity)
    {
        ParserInstance parser = ParserInstance.Create(Module, [new(0, TagKind.UInt16, false, false, 0, 1, 1, 0)]);
        var request = Request with { Function = function, Quantity = quantity };

        Assert.Equal(RunStatus.Completed, parser.Decode(request, Frames.Response(Request, 1, 2)));
        Assert.True(Outcome.IsError(parser.LastOutcome, out DecodeError error, out _));
        Assert.Equal(DecodeError.BadRequest, error);
    }

    [Theory]
    [InlineData(TagKind.Bit, 16, 1, TagProblem.BadBit)]
    [InlineData(TagKind.Int32, 0, 1, TagProblem.BadLength)]
    [InlineData(TagKind.Text, 0, 126, TagProblem.BadLength)]
    public void ATagMapTheParserRefusesNamesTheTagAndTheProblem(TagKind kind, byte bit, ushort length, TagProblem problem)
    {
        ParserTag[] tags = [new(0, TagKind.UInt16, false, false, 0, 1, 1, 0), new(1, kind, false, false, bit, length, 1, 0)];

        var refused = Assert.Throws<ParserConfigurationException>(() => ParserInstance.Create(Module, tags));
        Assert.Equal((1, problem), (refused.Tag, refused.Problem));
    }

    [Fact]
    public void WordSwapOnASixteenBitTagIsRefused()
    {
        var refused = Assert.Throws<ParserConfigurationException>(() => ParserInstance.Create(Module, [new(0, TagKind.Int16, false, true, 0, 1, 1, 0)]));
        Assert.Equal(TagProblem.BadOrder, refused.Problem);
    }

    [Theory]
    [InlineData(TagKind.Bit, 2.0, 0.0)]
    [InlineData(TagKind.Bit, 1.0, 0.5)]
    [InlineData(TagKind.Text, 0.1, 0.0)]
    [InlineData(TagKind.Text, 1.0, -1.0)]
    public void ABitOrTextTagWithAScaleOrAnOffsetIsRefused(TagKind kind, double scale, double offset)
    {
        // Found by the Rust/C differential: the Rust parser accepted these and ignored the scale, so the value was
        // not raw × scale + offset; a boolean or a string cannot be scaled (WIT: bad-scale).
        ParserTag[] tags = [new(0, TagKind.UInt16, false, false, 0, 1, 2, 1), new(1, kind, false, false, 0, 1, scale, offset)];

        var refused = Assert.Throws<ParserConfigurationException>(() => ParserInstance.Create(Module, tags));
        Assert.Equal((1, TagProblem.BadScale), (refused.Tag, refused.Problem));
    }

    [Fact]
    public void TwoThousandAndFortyEightTagsAreAcceptedAndOneMoreIsTooMany()
    {
        // Found by the Rust/C differential: the WIT named no limit; the parsers had 2048 and 4096.
        ParserTag[] tags = [.. Enumerable.Range(0, 2049).Select(i => new ParserTag((ushort)i, TagKind.UInt16, false, false, 0, 1, 1, 0))];

        var refused = Assert.Throws<ParserConfigurationException>(() => ParserInstance.Create(Module, tags));
        Assert.Equal((2048, TagProblem.TooManyTags), (refused.Tag, refused.Problem));
        ParserInstance.Create(Module, tags[..2048]);
    }

    [Theory]
    [InlineData(10, 0, TagProblem.BadLength)]
    [InlineData(255, 0, TagProblem.BadLength)]
    [InlineData(200, 3, TagProblem.BadBit)]
    public void AKindPastTheEnumIsRefusedWithoutATrap(byte kind, byte bit, TagProblem problem)
    {
        // Found by the Rust/C differential: the C parser trapped on a kind no component runtime would lift; the host
        // writes what it is given, so the parser refuses it like any other bad tag.
        var refused = Assert.Throws<ParserConfigurationException>(() => ParserInstance.Create(Module, [new(0, (TagKind)kind, false, false, bit, 1, 1, 0)]));
        Assert.Equal((0, problem), (refused.Tag, refused.Problem));
    }

    [Theory]
    [InlineData(TagKind.Float32, new ushort[] { 0x8000, 0x0000 }, 0x8000_0000_0000_0000UL)]
    [InlineData(TagKind.Float64, new ushort[] { 0x8000, 0x0000, 0x0000, 0x0000 }, 0x8000_0000_0000_0000UL)]
    [InlineData(TagKind.Float32, new ushort[] { 0x7F80, 0x0000 }, 0x7FF0_0000_0000_0000UL)]
    [InlineData(TagKind.Float64, new ushort[] { 0xFFF0, 0x0000, 0x0000, 0x0000 }, 0xFFF0_0000_0000_0000UL)]
    public void AnUnscaledFloatKeepsItsBitsNegativeZeroIncluded(TagKind kind, ushort[] registers, ulong bits)
    {
        // Found by the Rust/C differential: the C parser computed -0.0 × 1 + 0 = +0.0; with scale 1 and offset 0 (or
        // -0) the value is the raw one.
        var request = Request with { Quantity = (ushort)registers.Length };
        ParserInstance parser = ParserInstance.Create(Module, [new(0, kind, false, false, 0, (ushort)registers.Length, 1, 0), new(0, kind, false, false, 0, (ushort)registers.Length, 1, -0.0)]);

        Assert.Equal(RunStatus.Completed, parser.Decode(request, Frames.Response(request, registers)));
        Assert.All(Read(parser.LastOutcome), reading => Assert.Equal((ValueCase.Real, bits), (reading.Case, reading.Bits)));
    }

    [Theory]
    [InlineData(TagKind.Bit)]
    [InlineData(TagKind.Int16)]
    [InlineData(TagKind.UInt16)]
    [InlineData(TagKind.Int32)]
    [InlineData(TagKind.UInt32)]
    [InlineData(TagKind.Int64)]
    [InlineData(TagKind.UInt64)]
    [InlineData(TagKind.Float32)]
    [InlineData(TagKind.Float64)]
    [InlineData(TagKind.Text)]
    public void TheLargestTagMapDecodesWithinTheShippedFuel(TagKind kind)
    {
        // Found by the Rust/C differential: with 2048 tags inside one request the Rust parser ran out of the shipped
        // fuel (1,000,000), and text cost fuel by its length. Every tag here is inside the request, scaled where it
        // can be, text at its longest and in both byte orders.
        (ushort length, bool scaled) = kind switch
        {
            TagKind.Int32 or TagKind.UInt32 or TagKind.Float32 => ((ushort)2, true),
            TagKind.Int64 or TagKind.UInt64 or TagKind.Float64 => ((ushort)4, true),
            TagKind.Text => ((ushort)125, false),
            TagKind.Bit => ((ushort)1, false),
            _ => ((ushort)1, true),
        };
        ParserTag[] tags = [.. Enumerable.Range(0, 2048).Select(i => new ParserTag(
            (ushort)(kind == TagKind.Text ? 0 : i % (126 - length)),
            kind,
            i % 2 == 0,
            length > 1 && kind != TagKind.Text && i % 4 < 2,
            kind == TagKind.Bit ? (byte)(i % 16) : (byte)0,
            length,
            scaled ? 0.5 : 1,
            scaled ? -3 : 0))];
        var request = Request with { Quantity = 125 };
        ParserInstance parser = ParserInstance.Create(Module, tags);

        Assert.Equal(RunStatus.Completed, parser.Decode(request, Frames.Response(request, [.. Enumerable.Range(0, 125).Select(i => (ushort)(0x4141 + i))])));
        Assert.Equal(2048, Read(parser.LastOutcome).Count);
    }

    [Fact]
    public void OnlyTagsWhollyInsideTheRequestedRegistersAreDecoded()
    {
        ParserTag[] tags =
        [
            new(0, TagKind.UInt16, false, false, 0, 1, 1, 0),
            new(1, TagKind.UInt32, false, false, 0, 2, 1, 0), // registers 1-2: runs past a 2-register read
            new(5, TagKind.UInt16, false, false, 0, 1, 1, 0),
        ];
        ParserInstance parser = ParserInstance.Create(Module, tags);

        Assert.Equal(RunStatus.Completed, parser.Decode(Request, Frames.Response(Request, 10, 20)));
        Assert.Equal([0u], Read(parser.LastOutcome).Select(r => r.Tag));
    }

    [Fact]
    public void AnEmptyTagMapDecodesToNoReadingsAndRefusesAMalformedResponse()
    {
        // Found by the parser differential: the host's outcome buffer was sized for the readings alone, five bytes
        // for an empty map, and an error outcome (six bytes) threw in the host.
        ParserInstance parser = ParserInstance.Create(Module, []);

        Assert.Equal(RunStatus.Completed, parser.Decode(Request, Frames.Response(Request, 1, 2)));
        Assert.Empty(Read(parser.LastOutcome));
        Assert.Equal(RunStatus.Completed, parser.Decode(Request, Frames.Exception(Request, 4)));
        Assert.True(Outcome.IsError(parser.LastOutcome, out DecodeError error, out uint detail));
        Assert.Equal((DecodeError.Exception, 4u), (error, detail));
    }

    [Fact]
    public void AnInstanceWithoutFuelTrapsAndAResetRestoresTheConfiguredParser()
    {
        ParserInstance parser = ParserInstance.Create(Module, [new(0, TagKind.UInt16, false, false, 0, 1, 1, 0)]);
        byte[] adu = Frames.Response(Request, 42, 0);

        Assert.Equal(RunStatus.Trapped, parser.Decode(Request, adu, fuel: 0));
        Assert.Contains("fuel", parser.LastFault, StringComparison.OrdinalIgnoreCase);
        parser.Reset();

        Assert.Equal(RunStatus.Completed, parser.Decode(Request, adu));
        Assert.Equal(42UL, Read(parser.LastOutcome).Single().Bits);
    }

    [Fact]
    public void ThousandsOfDecodesDoNotGrowTheInstancesMemory()
    {
        ParserInstance parser = ParserInstance.Create(Module, [new(0, TagKind.Text, false, false, 0, 125, 1, 0)]);
        var request = Request with { Quantity = 125 };
        byte[] adu = Frames.Response(request, [.. Enumerable.Repeat((ushort)0x4142, 125)]);
        int pages = parser.Instance.Memory!.Length;

        for (int i = 0; i < 5_000; i++)
        {
            Assert.Equal(RunStatus.Completed, parser.Decode(request, adu));
        }

        Assert.Equal(pages, parser.Instance.Memory.Length);
    }

    internal static List<(uint Tag, Quality Quality, ValueCase Case, ulong Bits, string Text)> Read(ReadOnlySpan<byte> outcome)
    {
        Assert.False(Outcome.IsError(outcome, out DecodeError error, out _), $"decode error {error}");
        var list = new List<(uint, Quality, ValueCase, ulong, string)>();
        OutcomeReader reader = Outcome.Readings(outcome);
        while (reader.TryReadNext(out Reading reading))
        {
            list.Add((reading.Tag, reading.Quality, reading.Case, reading.Bits, Encoding.UTF8.GetString(reading.Text)));
        }

        Assert.Equal((int)reader.Count, list.Count);
        return list;
    }
}
