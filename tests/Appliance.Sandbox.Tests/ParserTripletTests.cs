using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Appliance.Sandbox.Parsing;
using Appliance.Sandbox.Voting;

namespace Appliance.Sandbox.Tests;

/// <summary>The voted triplet: agreement, abstention, latent faults, and faults injected on a tenth of the frames.</summary>
public sealed class ParserTripletTests
{
    private static readonly ParserRequest Request = new(7, 1, 3, 0, 6);

    private static readonly ParserTag[] Tags =
    [
        new(0, TagKind.Float32, false, false, 0, 2, 1, 0),
        new(2, TagKind.Int32, false, true, 0, 2, 1, 0),
        new(4, TagKind.Bit, false, false, 3, 1, 1, 0),
        new(5, TagKind.Int16, false, false, 0, 1, 0.1, -5),
    ];

    [Fact]
    public void ThreeHealthyInstancesAgreeUnanimously()
    {
        ParserTriplet triplet = ParserTriplet.Create(Guest.Module(), VotingMode.TwoOutOfThree, Tags);

        VoteResult vote = triplet.Decode(Request, Frames.Response(Request, 0x4049, 0x0FDB, 1, 0, 8, 100));

        Assert.Equal(Verdict.Unanimous, vote.Verdict);
        Assert.Equal(4, ParserInstanceTests.Read(vote.Outcome).Count);
        Assert.Equal((1L, 1L, 0L), (triplet.Statistics.Votes, triplet.Statistics.Unanimous, triplet.Statistics.Split));
    }

    [Fact]
    public void ATrappedInstanceAbstainsIsCountedAndIsResetBeforeTheNextFrame()
    {
        ParserTriplet triplet = ParserTriplet.Create(Guest.Module(), VotingMode.TwoOutOfThree, Tags, new FaultInjector(new FaultInjectionOptions(0, 1.0, 5)));
        byte[] adu = Frames.Response(Request, 1, 2, 3, 4, 5, 6);

        VoteResult vote = triplet.Decode(Request, adu);

        Assert.Equal(Verdict.Majority, vote.Verdict);
        Assert.Equal(FaultKind.Trap, vote.Fault);
        Assert.Equal(1 << vote.FaultInstance, vote.Dissenters);
        Assert.Equal(1, triplet.Statistics.Instances[vote.FaultInstance].Traps);
        Assert.All(triplet.Lanes, lane => Assert.False(((ParserInstance)lane).Instance.Trapped));
        Assert.All(triplet.Statistics.Instances, instance => Assert.Equal(1, instance.Resets));
        Assert.True(triplet.Statistics.WorstReset > TimeSpan.Zero);
    }

    [Fact]
    public void OneOutOfOneWithATrappedInstanceHasNoValue()
    {
        ParserTriplet triplet = ParserTriplet.Create(Guest.Module(), VotingMode.OneOutOfOne, Tags, new FaultInjector(new FaultInjectionOptions(0, 1.0, 5)));

        VoteResult vote = triplet.Decode(Request, Frames.Response(Request, 1, 2, 3, 4, 5, 6));

        Assert.Equal(Verdict.Split, vote.Verdict);
        Assert.True(vote.Outcome.IsEmpty);
    }

    [Fact]
    public void ALatentBitFlipIsFoundByComparingMemoriesAndEveryInstanceIsReset()
    {
        ParserTriplet triplet = ParserTriplet.Create(Guest.Module(), VotingMode.TwoOutOfThree, Tags);
        byte[] adu = Frames.Response(Request, 1, 2, 3, 4, 5, 6);
        Span<byte> memory = triplet.Lanes[2].TrackedMemory!.Span;
        memory[^1] ^= 0x10; // the last byte of memory: no decode ever reads it

        VoteResult vote = triplet.Decode(Request, adu);

        Assert.Equal(Verdict.Unanimous, vote.Verdict);
        Assert.Equal(1, triplet.Statistics.Instances[2].StateDivergences);
        Assert.Equal(0, triplet.Statistics.Instances[0].StateDivergences);
        Assert.All(triplet.Statistics.Instances, instance => Assert.Equal(1, instance.Resets));
        Assert.Equal(0, triplet.Lanes[2].TrackedMemory!.Span[^1] & 0x10);
    }

    [Fact]
    public void FaultsInOneRandomInstanceOnATenthOfTheFramesNeverLoseOrChangeAFrame()
    {
        var corpus = FrameCorpus.Build(Request, seed: 11, count: 4_000);
        ParserInstance reference = ParserInstance.Create(Guest.Module(), Tags);
        ParserTriplet triplet = ParserTriplet.Create(Guest.Module(), VotingMode.TwoOutOfThree, Tags, new FaultInjector(new FaultInjectionOptions(0.05, 0.05, 1234)));
        int traps = 0;

        foreach (byte[] adu in corpus)
        {
            Assert.Equal(RunStatus.Completed, reference.Decode(Request, adu));
            VoteResult vote = triplet.Decode(Request, adu);

            Assert.NotEqual(Verdict.Split, vote.Verdict);
            Assert.True(vote.Outcome.SequenceEqual(reference.LastOutcome), "the voted outcome differs from a clean instance's");
            traps += vote.Fault == FaultKind.Trap ? 1 : 0;
            ReadOnlySpan<byte> first = triplet.Lanes[0].TrackedMemory!.ReadOnlySpan;
            Assert.True(triplet.Lanes.All(lane => !((ParserInstance)lane).Instance.Trapped), "a trapped instance was left for the next frame");
            Assert.True(first.SequenceEqual(triplet.Lanes[1].TrackedMemory!.ReadOnlySpan) && first.SequenceEqual(triplet.Lanes[2].TrackedMemory!.ReadOnlySpan), "instances left a frame with different memories");
        }

        TripletStatistics statistics = triplet.Statistics;
        Assert.InRange(statistics.FaultsInjected, 300, 500);
        Assert.Equal(traps, statistics.Instances.Sum(i => i.Traps));
        Assert.True(statistics.Instances.Min(i => i.Resets) >= traps);
        Assert.Equal(0, statistics.Split);
        Assert.Equal(corpus.Count, statistics.Votes);
    }

    [Fact]
    public void ABitFlippedThroughATrackedWriteInAnyBlockIsFoundOnTheNextFrameAndRepaired()
    {
        ParserTriplet triplet = ParserTriplet.Create(Guest.Module(), VotingMode.TwoOutOfThree, Tags);
        byte[] adu = Frames.Response(Request, 1, 2, 3, 4, 5, 6);
        triplet.Decode(Request, adu);
        int blocks = triplet.Lanes[0].TrackedMemory!.BlockCount;
        var random = new Random(3);

        for (int block = 0; block < blocks; block++)
        {
            int instance = block % 3;
            int at = (block * Wasm.Memory.BlockSize) + random.Next(Wasm.Memory.BlockSize);
            long divergences = triplet.Statistics.Instances[instance].StateDivergences;
            long dissents = triplet.Statistics.Instances[instance].Dissents + triplet.Statistics.Instances[instance].Traps;
            triplet.Lanes[instance].TrackedMemory!.GetWritableSpan((uint)at, 1)[0] ^= (byte)(1 << random.Next(8));

            VoteResult vote = triplet.Decode(Request, adu);

            Assert.NotEqual(Verdict.Split, vote.Verdict);
            Assert.True(
                triplet.Statistics.Instances[instance].StateDivergences + triplet.Statistics.Instances[instance].Dissents + triplet.Statistics.Instances[instance].Traps > divergences + dissents,
                $"a bit flipped at {at} went unnoticed");
            AssertSameMemories(triplet);
        }
    }

    [Fact]
    public void ABitFlippedBehindEveryWritersBackIsFoundWithinOneScrubSweepAndRepaired()
    {
        ParserTriplet triplet = ParserTriplet.Create(Guest.Module(), VotingMode.TwoOutOfThree, Tags);
        byte[] adu = Frames.Response(Request, 1, 2, 3, 4, 5, 6);
        triplet.Decode(Request, adu);
        int blocks = triplet.Lanes[0].TrackedMemory!.BlockCount;
        int sweep = (blocks + ParserTriplet.ScrubBlocks - 1) / ParserTriplet.ScrubBlocks;

        for (int block = 0; block < blocks; block += 5)
        {
            int instance = block % 3;
            int at = (block * Wasm.Memory.BlockSize) + 1000;
            long divergences = triplet.Statistics.Instances[instance].StateDivergences;
            FlipUntracked(triplet.Lanes[instance].TrackedMemory!, at);

            int frames = 0;
            while (triplet.Statistics.Instances[instance].StateDivergences == divergences && frames <= sweep)
            {
                Assert.Equal(Verdict.Unanimous, triplet.Decode(Request, adu).Verdict);
                frames++;
            }

            Assert.True(frames <= sweep, $"a bit flipped at {at} was not found in {sweep} frames");
            AssertSameMemories(triplet);
        }
    }

    private static void AssertSameMemories(ParserTriplet triplet)
    {
        ReadOnlySpan<byte> first = triplet.Lanes[0].TrackedMemory!.ReadOnlySpan;
        Assert.True(
            first.SequenceEqual(triplet.Lanes[1].TrackedMemory!.ReadOnlySpan) && first.SequenceEqual(triplet.Lanes[2].TrackedMemory!.ReadOnlySpan),
            "instances left a frame with different memories");
    }

    /// <summary>Flips a bit as a particle would, without telling the memory (no dirty mark).</summary>
    private static void FlipUntracked(Wasm.Memory memory, int at)
    {
        ref byte first = ref MemoryMarshal.GetReference(memory.ReadOnlySpan);
        Unsafe.Add(ref first, at) ^= 0x04;
    }
}
