using System.Globalization;
using Appliance.Sandbox.Parsing;
using Appliance.Wasm.Tests;

namespace Appliance.Sandbox.Tests;

/// <summary>
/// A guest that answers with one reading of its choosing: the host refuses every reading it could not publish (the lane
/// abstains as malformed) and keeps every reading it can.
/// </summary>
public sealed class HostileGuestTests
{
    private static readonly ParserRequest Request = new(7, 1, 3, 0, 2);

    public static TheoryData<string, string, byte, byte, ulong, string> Unpublishable()
    {
        var rows = new TheoryData<string, string, byte, byte, ulong, string>();
        foreach (string engine in (string[])["interpreter", "wasmtime"])
        {
            rows.Add(engine, "a good +infinity", 0, 3, 0x7FF0_0000_0000_0000UL, "a real value marked good is not finite");
            rows.Add(engine, "a good -infinity", 0, 3, 0xFFF0_0000_0000_0000UL, "a real value marked good is not finite");
            rows.Add(engine, "a good NaN", 0, 3, 0x7FF8_0000_0000_0001UL, "a real value marked good is not finite");
            rows.Add(engine, "a boolean marked not-finite", 1, 0, 1UL, "a reading's quality does not fit its value case");
            rows.Add(engine, "a signed value marked not-text", 2, 1, 5UL, "a reading's quality does not fit its value case");
            rows.Add(engine, "a quality past the enum", 3, 3, 0UL, "a reading has an invalid quality or value case");
            rows.Add(engine, "a value case past the variant", 0, 5, 0UL, "a reading has an invalid quality or value case");
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(Unpublishable))]
    public void AReadingTheHostCouldNotPublishIsMalformedInEitherEngine(string engine, string what, byte quality, byte valueCase, ulong bits, string fault)
    {
        ParserLane parser = Answering(engine, quality, valueCase, bits);

        RunStatus status = parser.Decode(Request, [0, 7, 0, 0, 0, 3, 1, 3, 0]);

        Assert.True(status == RunStatus.Malformed, $"{what}: {status}");
        Assert.Equal(fault, parser.LastFault);
        Assert.Equal(0, parser.OutcomeLength);
    }

    [Theory]
    [InlineData("interpreter", "a finite real", 0, 3, 0x3FF8_0000_0000_0000UL)]
    [InlineData("interpreter", "an infinity marked not-finite", 1, 3, 0x7FF0_0000_0000_0000UL)]
    [InlineData("interpreter", "a signed value", 0, 1, 0xFFFF_FFFF_FFFF_FFFEUL)]
    [InlineData("wasmtime", "a finite real", 0, 3, 0x3FF8_0000_0000_0000UL)]
    [InlineData("wasmtime", "an infinity marked not-finite", 1, 3, 0x7FF0_0000_0000_0000UL)]
    [InlineData("wasmtime", "a signed value", 0, 1, 0xFFFF_FFFF_FFFF_FFFEUL)]
    public void AReadingTheHostCanPublishIsKeptInEitherEngine(string engine, string what, byte quality, byte valueCase, ulong bits)
    {
        ParserLane parser = Answering(engine, quality, valueCase, bits);

        RunStatus status = parser.Decode(Request, [0, 7, 0, 0, 0, 3, 1, 3, 0]);

        Assert.True(status == RunStatus.Completed, $"{what}: {status} {parser.LastFault}");
        OutcomeReader readings = Outcome.Readings(parser.LastOutcome);
        Assert.True(readings.TryReadNext(out Reading reading));
        Assert.Equal((Quality)quality, reading.Quality);
        Assert.Equal((ValueCase)valueCase, reading.Case);
        Assert.Equal(bits, reading.Bits);
    }

    /// <summary>A guest whose decode always returns ok with one reading of tag 0 with the given quality, case and payload.</summary>
    private static ParserLane Answering(string engine, byte quality, byte valueCase, ulong bits)
    {
        string wat = string.Create(CultureInfo.InvariantCulture, $$"""
            (module
              (memory (export "memory") 1)
              (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) (i32.const 4096))
              (func (export "ics:gateway/modbus-parser@0.1.0#configure") (param i32 i32) (result i32) (i32.const 512))
              (func (export "ics:gateway/modbus-parser@0.1.0#decode") (param i32 i32 i32 i32 i32 i32 i32) (result i32)
                (i32.store (i32.const 1024) (i32.const 0))
                (i32.store (i32.const 1028) (i32.const 2048))
                (i32.store (i32.const 1032) (i32.const 1))
                (i32.store (i32.const 2048) (i32.const 0))
                (i32.store8 (i32.const 2052) (i32.const {{quality}}))
                (i32.store8 (i32.const 2056) (i32.const {{valueCase}}))
                (i64.store (i32.const 2064) (i64.const {{unchecked((long)bits)}}))
                (i32.const 1024)))
            """);
        byte[] wasm = Wat.Assemble(wat);
        ParserTag[] tags = [new ParserTag(0, TagKind.Float64, false, false, 0, 4, 1, 0)];
        return engine == "wasmtime"
            ? WasmtimeLane.Create(WasmtimeParserModule.Compile(wasm, Guest.Limits), tags)
            : ParserInstance.Create(ParserModule.Compile(wasm, Guest.Limits), tags);
    }
}
