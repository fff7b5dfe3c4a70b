using Appliance.Sandbox.Parsing;
using Appliance.Sandbox.Voting;

namespace Appliance.Sandbox.Tests;

/// <summary>
/// The parser guest in Wasmtime (Cranelift, native code) beside our interpreter: the two engines lift byte-identical
/// outcomes on every frame of the corpus, a trap or exhausted fuel is an abstention that a reset (a new store and
/// instance) clears, and a triplet of both engines loses and changes no frame with faults on a tenth of them.
/// </summary>
public sealed class WasmtimeLaneTests : IDisposable
{
    private static readonly ParserRequest Request = new(0x2A01, 7, 3, 0, 24);

    private static readonly ParserTag[] Tags = CrossRuntimeTests.Tags;

    private readonly WasmtimeParserModule _module = WasmtimeParserModule.Compile(Guest.ModbusParser, Guest.Limits);

    public void Dispose() => _module.Dispose();

    [Fact]
    public void BothEnginesLiftByteIdenticalOutcomesOnEveryFrameOfTheCorpus()
    {
        List<byte[]> corpus = FrameCorpus.Build(Request, seed: 31, count: 5_000);
        corpus.AddRange(ParserInstanceTests.Refused().Select(row => (byte[])row[1]));
        ParserInstance interpreter = ParserInstance.Create(Guest.Module(), Tags);
        using WasmtimeLane wasmtime = WasmtimeLane.Create(_module, Tags);

        foreach (byte[] adu in corpus)
        {
            Assert.Equal(RunStatus.Completed, interpreter.Decode(Request, adu));
            Assert.Equal(RunStatus.Completed, wasmtime.Decode(Request, adu));
            Assert.True(interpreter.LastOutcome.SequenceEqual(wasmtime.LastOutcome), $"the engines differ on {Convert.ToHexString(adu)}:\n{Convert.ToHexString(interpreter.LastOutcome)}\n{Convert.ToHexString(wasmtime.LastOutcome)}");
        }
    }

    [Fact]
    public void ExhaustedFuelIsATrapAndTheResetLaneDecodesAgain()
    {
        using WasmtimeLane lane = WasmtimeLane.Create(_module, Tags);
        byte[] adu = Frames.Response(Request, [.. Enumerable.Range(0, 24).Select(i => (ushort)(i * 257))]);

        Assert.Equal(RunStatus.Trapped, lane.Decode(Request, adu, fuel: 10));
        Assert.Contains("fuel", lane.LastFault, StringComparison.OrdinalIgnoreCase);
        lane.Reset();

        Assert.Equal(RunStatus.Completed, lane.Decode(Request, adu));
        Assert.Equal("wasmtime:modbus-parser", lane.Name);
    }

    [Fact]
    public void ATagMapTheGuestRefusesIsRefusedInWasmtimeToo()
    {
        ParserConfigurationException refused = Assert.Throws<ParserConfigurationException>(() => WasmtimeLane.Create(_module, [new ParserTag(0, TagKind.Bit, false, false, 16, 1, 1, 0)]));

        Assert.Equal(TagProblem.BadBit, refused.Problem);
    }

    [Fact]
    public void ADiverseTripletOfBothEnginesLosesAndChangesNoFrameWithBitFlipsTrapsAndCorruptedResultsOnATenthOfThem()
    {
        List<byte[]> corpus = FrameCorpus.Build(Request, seed: 32, count: 3_000);
        int corrupted = 0;
        ParserInstance reference = ParserInstance.Create(Guest.Module(), Tags);
        using WasmtimeLane first = WasmtimeLane.Create(_module, Tags);
        using WasmtimeLane third = WasmtimeLane.Create(_module, Tags);
        ParserTriplet triplet = ParserTriplet.Create([first, ParserInstance.Create(Guest.Module(), Tags), third], VotingMode.TwoOutOfThree, new FaultInjector(new FaultInjectionOptions(0.04, 0.03, 77) { CorruptRate = 0.03 }));

        foreach (byte[] adu in corpus)
        {
            Assert.Equal(RunStatus.Completed, reference.Decode(Request, adu));
            VoteResult vote = triplet.Decode(Request, adu);

            Assert.NotEqual(Verdict.Split, vote.Verdict);
            Assert.True(vote.Outcome.SequenceEqual(reference.LastOutcome), "the voted outcome differs from a clean instance's");
            corrupted += vote.Fault == FaultKind.CorruptResult ? 1 : 0;
        }

        Assert.True(corrupted > 50, $"only {corrupted} results were corrupted");
        Assert.False(triplet.Lockstep);
        Assert.InRange(triplet.Statistics.FaultsInjected, 200, 400);
        Assert.True(triplet.Statistics.Instances.Sum(i => i.Traps) > 0);
        Assert.True(triplet.Statistics.Instances.Sum(i => i.Dissents) >= corrupted, "every corrupted result was outvoted");
        Assert.Equal(0, triplet.Statistics.Split);
    }
}
