using Appliance.Fuzz;
using Appliance.Sandbox.Parsing;
using Appliance.Wasm.Tests;

namespace Appliance.Sandbox.Tests;

/// <summary>
/// The two parser guests, the Rust one and the C one written independently from the WIT and the Modbus
/// specification, each in both engines (four lanes), through the host's binding: on every input all four must
/// complete with byte-identical canonical outcomes, or refuse a tag map at the same tag for the same problem. A bug in
/// one parser or one engine then shows as a disagreement instead of corrupting every voter alike. The long mode is <c>tests/fuzz/run parsers 1000000</c>;
/// the disagreements found so far are regression rows of <see cref="ParserInstanceTests"/>, which both guests pass.
/// </summary>
public sealed class ParserDifferentialTests
{
    private static readonly ParserDifferentialTarget Differential = new(Guest.ModbusParser, Guest.ModbusParserC);

    /// <summary>Tag maps over registers 0-23: every kind in several orders, scaled and not, overlapping.</summary>
    public static TheoryData<string, ParserTag[]> Maps() => new()
    {
        {
            "every kind",
            [
                new(0, TagKind.Bit, false, false, 9, 1, 1, 0),
                new(0, TagKind.Int16, false, false, 0, 1, 1, 0),
                new(1, TagKind.UInt16, true, false, 0, 1, 0.25, -3),
                new(2, TagKind.Int32, false, true, 0, 2, 1, 0),
                new(4, TagKind.Float32, true, true, 0, 2, 1, 0),
                new(6, TagKind.Float64, false, false, 0, 4, 1.5, 2),
                new(10, TagKind.UInt64, true, true, 0, 4, 1, 0),
                new(14, TagKind.Int64, false, false, 0, 4, 1, 0),
                new(18, TagKind.Text, false, false, 0, 3, 1, 0),
                new(21, TagKind.Text, true, false, 0, 1, 1, 0),
                new(22, TagKind.UInt32, true, false, 0, 2, 3, 0),
            ]
        },
        {
            "overlapping, every order",
            [
                new(0, TagKind.Float32, false, false, 0, 2, 1, 0),
                new(0, TagKind.Float32, true, false, 0, 2, 1, 0),
                new(0, TagKind.Float32, false, true, 0, 2, 1, 0),
                new(0, TagKind.Float32, true, true, 0, 2, 1, -0.0),
                new(1, TagKind.Float64, false, true, 0, 4, 1, 0),
                new(1, TagKind.Int64, true, true, 0, 4, -1e-3, 1e6),
                new(3, TagKind.UInt32, false, true, 0, 2, 1e300, 0),
                new(3, TagKind.Bit, true, false, 15, 1, 1, 0),
                new(5, TagKind.Text, true, false, 0, 19, 1, 0),
                new(5, TagKind.Text, false, false, 0, 19, 1, 0),
                new(23, TagKind.Int16, true, false, 0, 1, -1, -0.0),
                new(23, TagKind.UInt64, false, false, 0, 4, 1, 0), // runs past the request
            ]
        },
    };

    [Theory]
    [MemberData(nameof(Maps))]
    public void BothParsersInBothEnginesGiveByteIdenticalOutcomesOnEveryFrameOfTheCorpus(string what, ParserTag[] tags)
    {
        using ParserDifferentialTarget.Lanes lanes = Differential.Configure(tags, out string configured)
            ?? throw new InvalidOperationException($"{what}: every lane refused the map: {configured}");
        var outcomes = new Dictionary<string, int>();
        foreach (ParserRequest request in new ParserRequest[] { new(0x2A01, 7, 3, 0, 24), new(1, 0, 4, 0, 24), new(0xFFFF, 255, 3, 3, 7), new(9, 1, 4, 20, 4) })
        {
            List<byte[]> corpus = FrameCorpus.Build(request, seed: request.Transaction, count: 2_000);
            corpus.AddRange(ParserInstanceTests.Refused().Select(row => (byte[])row[1]));
            foreach (byte[] adu in corpus)
            {
                string outcome = ParserDifferentialTarget.Decode(lanes, request, adu);
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            }
        }

        Assert.True(outcomes.GetValueOrDefault("ok") > 2_000, $"{what}: too few frames decoded to values");
        Assert.True(outcomes.Count >= 10, $"{what}: too few distinct outcomes: {string.Join(", ", outcomes.Keys)}");
    }

    [Fact]
    public void BothParsersInBothEnginesAgreeOnTwentyThousandRandomTagMapsRequestsAndResponses()
    {
        SortedDictionary<string, long> outcomes = Differential.Run(seed: 12, cases: 20_000);

        Assert.True(outcomes.GetValueOrDefault("ok") > 6_000, "too few cases decoded to values");
        foreach (DecodeError error in Enum.GetValues<DecodeError>().Where(e => e != DecodeError.NotConfigured))
        {
            Assert.True(outcomes.GetValueOrDefault(error.ToString()) > 0, $"no case ended in {error}: {string.Join(", ", outcomes)}");
        }

        foreach (TagProblem problem in Enum.GetValues<TagProblem>().Where(p => p != TagProblem.TooManyTags))
        {
            Assert.True(outcomes.GetValueOrDefault($"configure {problem}") > 0, $"no tag map was refused for {problem}");
        }
    }

    [Fact]
    public void ADisagreementIsReportedWithTheCaseAsATestRow()
    {
        // A "parser" that answers every response with exception 4, against the Rust one.
        byte[] liar = Wat.Assemble("""
            (module
              (memory (export "memory") 1)
              (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) (i32.const 4096))
              (func (export "ics:gateway/modbus-parser@0.1.0#configure") (param i32 i32) (result i32) (i32.const 512))
              (func (export "ics:gateway/modbus-parser@0.1.0#decode") (param i32 i32 i32 i32 i32 i32 i32) (result i32)
                (i32.store8 (i32.const 1024) (i32.const 1))
                (i32.store8 (i32.const 1028) (i32.const 9))
                (i32.store (i32.const 1032) (i32.const 4))
                (i32.const 1024)))
            """);
        using var differential = new ParserDifferentialTarget(Guest.ModbusParser, liar);
        using ParserDifferentialTarget.Lanes lanes = differential.Configure([new(0, TagKind.UInt16, false, false, 0, 1, 0.5, -0.0)], out _)!;
        var request = new ParserRequest(7, 1, 3, 0, 1);

        var disagreement = Assert.Throws<ParserDisagreementException>(() => ParserDifferentialTarget.Decode(lanes, request, Frames.Response(request, 5)));

        Assert.Contains("\n  interpreter:modbus-parser 00010000000000000000030000000000000440\n", disagreement.Message, StringComparison.Ordinal);
        Assert.Contains("\n  interpreter:modbus-parser-c 010904000000\n", disagreement.Message, StringComparison.Ordinal);
        Assert.Contains("\n  wasmtime:modbus-parser 00010000000000000000030000000000000440\n", disagreement.Message, StringComparison.Ordinal);
        Assert.Contains("\n  wasmtime:modbus-parser-c 010904000000\n", disagreement.Message, StringComparison.Ordinal);
        Assert.Contains("new(0, TagKind.UInt16, false, false, 0, 1, 0.5, -0.0),", disagreement.Message, StringComparison.Ordinal);
        Assert.Contains("request: new(7, 1, 3, 0, 1)", disagreement.Message, StringComparison.Ordinal);
        Assert.Contains("adu: 00070000000501030200" + "05", disagreement.Message, StringComparison.Ordinal);
    }
}
