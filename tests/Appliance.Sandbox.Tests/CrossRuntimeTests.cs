using System.Globalization;
using System.Text;
using System.Text.Json;
using Appliance.Sandbox.Parsing;
using Appliance.Testing;

namespace Appliance.Sandbox.Tests;

/// <summary>
/// The same guest in two runtimes: our engine (through the host's canonical-ABI binding) and V8 (the guest
/// made a WASI 0.2 component and transpiled by jco 1.10.2, run under Node with tests/jco/decode.mjs). On every
/// frame of the corpus, valid and hostile, both must produce byte-identical canonical outcomes. Both parser
/// guests, the Rust one and the C one, are checked.
/// </summary>
public sealed class CrossRuntimeTests
{
    /// <summary>Every kind, order, bit and scaling once: the tag map the engines and runtimes are compared on.</summary>
    internal static readonly ParserTag[] Tags =
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
    ];

    [Theory]
    [InlineData(Guest.RustName)]
    [InlineData(Guest.CName)]
    public async Task OurEngineAndTheJcoComponentUnderNodeGiveByteIdenticalOutcomesOnEveryFrame(string guest)
    {
        var request = new ParserRequest(0x2A01, 7, 3, 0, 24);
        List<byte[]> corpus = FrameCorpus.Build(request, seed: 21, count: 3_000);
        corpus.AddRange(ParserInstanceTests.Refused().Select(row => (byte[])row[1]));
        ParserInstance parser = ParserInstance.Create(ParserModule.Compile(Guest.Named(guest), Guest.Limits), Tags);
        var ours = new List<string>();
        var cases = new StringBuilder();
        string tags = JsonSerializer.Serialize(Tags.Select(t => new Dictionary<string, object>
        {
            ["address"] = (int)t.Address,
            ["kind"] = t.Kind.ToString().ToLowerInvariant(),
            ["byteSwap"] = t.ByteSwap,
            ["wordSwap"] = t.WordSwap,
            ["bit"] = (int)t.Bit,
            ["length"] = (int)t.Length,
            ["scale"] = t.Scale,
            ["offset"] = t.Offset,
        }).ToList(), CrossRuntimeJson.Default.ListDictionaryStringObject);
        foreach (byte[] adu in corpus)
        {
            ParserRequest asked = request;
            Assert.Equal(RunStatus.Completed, parser.Decode(asked, adu));
            ours.Add(Convert.ToHexStringLower(parser.LastOutcome));
            cases.Append(CultureInfo.InvariantCulture, $"{{\"tags\":{tags},\"request\":{{\"transaction\":{asked.Transaction},\"unit\":{asked.Unit},\"function\":{asked.Function},\"address\":{asked.Address},\"quantity\":{asked.Quantity}}},\"adu\":\"{Convert.ToHexStringLower(adu)}\"}}\n");
        }

        using var directory = new TempDirectory();
        string module = Path.Combine(directory.Path, guest + ".wasm");
        await File.WriteAllBytesAsync(module, Guest.Named(guest));
        string component = Path.Combine(directory.Path, "component");
        (int built, _, string buildErrors) = await ChildProcess.RunAsync(
            Path.Combine(Repository.Root, "tests/jco/component"), module, Path.Combine(Repository.Root, "wit/modbus-parser.wit"), "modbus-sandbox", component);
        Assert.True(built == 0, "jco could not make the component (run scripts/setup): " + buildErrors);
        string casesFile = Path.Combine(directory.Path, "cases.jsonl");
        await File.WriteAllTextAsync(casesFile, cases.ToString());
        (int ran, string output, string errors) = await ChildProcess.RunAsync("/bin/sh", "-c", $"node '{Path.Combine(Repository.Root, "tests/jco/decode.mjs")}' '{component}' '{guest}' < '{casesFile}'");
        Assert.True(ran == 0, errors);

        string[] theirs = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(ours.Count, theirs.Length);
        for (int i = 0; i < ours.Count; i++)
        {
            Assert.True(ours[i] == theirs[i], $"frame {i} ({Convert.ToHexStringLower(corpus[i])}): ours {ours[i]}, V8 {theirs[i]}");
        }

        Assert.True(ours.Count(o => o.StartsWith("00", StringComparison.Ordinal)) > 500, "too few frames decoded to values");
    }
}
