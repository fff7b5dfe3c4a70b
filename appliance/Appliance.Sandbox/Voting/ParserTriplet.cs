using System.Diagnostics;
using Appliance.Sandbox.Parsing;

namespace Appliance.Sandbox.Voting;

/// <summary>
/// Three (or, by mode, two or one) voting lanes configured with one poll group's tags, that decode every response
/// ADU. A lane is one engine running one guest (<see cref="ParserLane"/>); the default layout is diverse (two engines,
/// two independently written parsers). Their canonical, lifted outcomes are voted on byte for byte
/// (<see cref="Voter"/>): the same bytes whatever engine or guest produced them, so the vote is on meaning, not on
/// memory layout. A lane that dissented or abstained is reset before the next frame.
/// <para>
/// When every lane runs the same guest in our interpreter, the lanes' linear memories are compared too after the
/// vote: they ran the same code on the same inputs
/// since their last common reset, so any difference is a latent fault (a flipped bit that has not yet changed
/// an outcome). The engine tracks which 1 KiB blocks each memory has written since its checkpoint
/// (<see cref="Wasm.Memory.DirtyBlocks"/>); a block none of them wrote still equals the (identical) checkpoints,
/// so the comparison covers the blocks any instance dirtied, plus a window of <see cref="ScrubBlocks"/> blocks
/// that moves on every frame, so that a fault no writer recorded (a bit flipped in the hardware) is found within
/// one sweep of the memory. Whenever an instance dissents, abstains or diverges, every instance is reset to its
/// configured checkpoint, whole, before the next frame, which keeps the instances in lockstep so that the memory
/// comparison stays meaningful. A reset is a copy of one memory snapshot: microseconds.
/// </para>
/// </summary>
public sealed class ParserTriplet : IDisposable
{
    private readonly ParserLane[] _instances;
    private readonly bool _lockstep;
    private readonly RunStatus[] _status;
    private readonly FaultInjector? _faults;
    private int _scrubBlock;

    private ParserTriplet(VotingMode mode, ParserLane[] instances, FaultInjector? faults)
    {
        Mode = mode;
        _instances = instances;
        _lockstep = Array.TrueForAll(instances, lane => lane.TrackedMemory is not null && lane.Name == instances[0].Name);
        _status = new RunStatus[instances.Length];
        _faults = faults;
        Statistics = new TripletStatistics(instances.Select(lane => lane.Name));
    }

    /// <summary>Blocks compared per frame beyond the dirty ones: the whole of a 64 KiB memory every 16 frames.</summary>
    public const int ScrubBlocks = 4;

    public VotingMode Mode { get; }

    public TripletStatistics Statistics { get; }

    /// <summary>The lanes, for inspection by tests and the console.</summary>
    public IReadOnlyList<ParserLane> Lanes => _instances;

    /// <summary>True when every lane runs the same guest in our interpreter: their memories are compared and reset together.</summary>
    public bool Lockstep => _lockstep;

    /// <exception cref="ParserConfigurationException">The guest refused the tag map or lacks the world's exports.</exception>
    public static ParserTriplet Create(ParserModule module, VotingMode mode, IReadOnlyList<ParserTag> tags, FaultInjector? faults = null)
    {
        var instances = new ParserLane[Voter.InstanceCount(mode)];
        for (int i = 0; i < instances.Length; i++)
        {
            instances[i] = ParserInstance.Create(module, tags);
        }

        return new ParserTriplet(mode, instances, faults);
    }

    /// <summary>A triplet of the given lanes (already created and configured), as many as <paramref name="mode"/> votes with.</summary>
    public static ParserTriplet Create(IReadOnlyList<ParserLane> lanes, VotingMode mode, FaultInjector? faults = null)
    {
        ArgumentNullException.ThrowIfNull(lanes);
        if (lanes.Count != Voter.InstanceCount(mode))
        {
            throw new ArgumentException($"mode {mode} votes with {Voter.InstanceCount(mode)} lanes, not {lanes.Count}", nameof(lanes));
        }

        return new ParserTriplet(mode, [.. lanes], faults);
    }

    /// <summary>Decodes one response ADU in every instance and votes.</summary>
    public VoteResult Decode(in ParserRequest request, ReadOnlySpan<byte> adu)
    {
        FaultKind fault = FaultKind.None;
        long corruptBit = 0;
        int faultInstance = -1;
        if (_faults is not null)
        {
            long memoryBits = _instances.Min(lane => lane.MemoryBits);
            fault = _faults.Next(_instances.Length, memoryBits, out faultInstance, out long bit);
            corruptBit = bit;
            if (fault == FaultKind.BitFlip && memoryBits > 0)
            {
                _instances[faultInstance].FlipBit(bit);
            }

            if (fault != FaultKind.None)
            {
                Statistics.FaultsInjected++;
            }
        }

        for (int i = 0; i < _instances.Length; i++)
        {
            long? fuel = fault == FaultKind.Trap && i == faultInstance ? 0 : null;
            _status[i] = _instances[i].Decode(request, adu, fuel);
            if (fault == FaultKind.CorruptResult && i == faultInstance && _status[i] == RunStatus.Completed)
            {
                _instances[i].CorruptOutcome(corruptBit);
            }

            if (_status[i] == RunStatus.Trapped)
            {
                Statistics.Instances[i].Traps++;
                Statistics.Instances[i].LastFault = _instances[i].LastFault;
            }
            else if (_status[i] == RunStatus.Malformed)
            {
                Statistics.Instances[i].Malformed++;
                Statistics.Instances[i].LastFault = _instances[i].LastFault;
            }
        }

        Verdict verdict = Voter.Vote(
            Mode,
            Done(0) ? _instances[0].LastOutcome : default,
            Done(0),
            Done(1) ? _instances[1].LastOutcome : default,
            Done(1),
            Done(2) ? _instances[2].LastOutcome : default,
            Done(2),
            out int winner,
            out int dissenters);
        Statistics.Record(verdict);
        for (int i = 0; i < _instances.Length; i++)
        {
            InstanceStatistics lane = Statistics.Instances[i];
            lane.Frames++;
            if ((dissenters & (1 << i)) == 0)
            {
                lane.Agreements++;
            }
            else if (Done(i))
            {
                lane.Dissents++;
            }
        }

        if (_lockstep)
        {
            // Same guest, same engine: keep the memories comparable by resetting all together.
            if (dissenters != 0 || (verdict == Verdict.Unanimous && MemoriesDiverge()))
            {
                ResetAll();
            }
        }
        else
        {
            for (int i = 0; i < _instances.Length; i++)
            {
                if ((dissenters & (1 << i)) != 0)
                {
                    Reset(i);
                }
            }
        }

        return new VoteResult(verdict, winner >= 0 ? _instances[winner].LastOutcome : default, dissenters, fault, faultInstance);
    }

    /// <summary>Releases the lanes' engine resources (Wasmtime stores).</summary>
    public void Dispose()
    {
        foreach (ParserLane lane in _instances)
        {
            (lane as IDisposable)?.Dispose();
        }
    }

    /// <summary>
    /// Resets every instance to its configured checkpoint, its whole memory and not only the blocks it dirtied: a
    /// fault may lie where no writer recorded it.
    /// </summary>
    public void ResetAll()
    {
        for (int i = 0; i < _instances.Length; i++)
        {
            Reset(i);
        }
    }

    private void Reset(int lane)
    {
        long start = Stopwatch.GetTimestamp();
        _instances[lane].TrackedMemory?.MarkAllDirty();
        _instances[lane].Reset();
        Statistics.RecordReset(start, Stopwatch.GetTimestamp());
        Statistics.Instances[lane].Resets++;
    }

    private bool Done(int instance) => instance < _status.Length && _status[instance] == RunStatus.Completed;

    /// <summary>True when the instances' memories differ; counts the instance that differs from the others.</summary>
    private bool MemoriesDiverge()
    {
        if (_instances.Length == 1)
        {
            return false;
        }

        Wasm.Memory first = _instances[0].TrackedMemory!;
        Wasm.Memory second = _instances[1].TrackedMemory!;
        Wasm.Memory? third = _instances.Length == 3 ? _instances[2].TrackedMemory! : null;
        int scrub = _scrubBlock;
        int blocks = first.BlockCount;
        _scrubBlock = blocks == 0 ? 0 : (scrub + ScrubBlocks) % blocks;

        bool ab = Equal(first, second, third, scrub);
        if (third is null)
        {
            if (!ab)
            {
                Statistics.Instances[0].StateDivergences++;
                Statistics.Instances[1].StateDivergences++;
            }

            return !ab;
        }

        bool ac = Equal(first, third, second, scrub);
        if (ab && ac)
        {
            return false;
        }

        int odd = ab ? 2 : ac ? 1 : Equal(second, third, first, scrub) ? 0 : -1;
        for (int i = 0; i < 3; i++)
        {
            if (odd < 0 || odd == i)
            {
                Statistics.Instances[i].StateDivergences++;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether memories <paramref name="x"/> and <paramref name="y"/> agree on every block that any of the three
    /// dirtied since its checkpoint and on the scrub window from block <paramref name="scrub"/>. Memories of
    /// different sizes differ.
    /// </summary>
    private static bool Equal(Wasm.Memory x, Wasm.Memory y, Wasm.Memory? other, int scrub)
    {
        if (x.Length != y.Length || (other is not null && other.Length != x.Length))
        {
            return false;
        }

        ReadOnlySpan<byte> a = x.ReadOnlySpan;
        ReadOnlySpan<byte> b = y.ReadOnlySpan;
        ReadOnlySpan<byte> da = x.DirtyBlocks;
        ReadOnlySpan<byte> db = y.DirtyBlocks;
        ReadOnlySpan<byte> dc = other is null ? da : other.DirtyBlocks;
        int blocks = da.Length;
        int scrubEnd = scrub + ScrubBlocks;
        int block = 0;
        while (block < blocks)
        {
            if ((da[block] | db[block] | dc[block]) == 0 && (block < scrub || block >= scrubEnd))
            {
                block++;
                continue;
            }

            int end = block + 1;
            while (end < blocks && ((da[end] | db[end] | dc[end]) != 0 || (end >= scrub && end < scrubEnd)))
            {
                end++;
            }

            int start = block * Wasm.Memory.BlockSize;
            int length = (end - block) * Wasm.Memory.BlockSize;
            if (!a.Slice(start, length).SequenceEqual(b.Slice(start, length)))
            {
                return false;
            }

            block = end;
        }

        return true;
    }
}
