using System.Diagnostics;
using Appliance.Sandbox.Parsing;

namespace Appliance.Sandbox.Voting;

/// <summary>
/// Three (or, by mode, two or one) instances of the same parser module, configured with one poll group's tags,
/// that decode every response ADU. Their canonical outcomes are voted on byte for byte (<see cref="Voter"/>).
/// <para>
/// After the vote the instances' linear memories are compared too: they ran the same code on the same inputs
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
public sealed class ParserTriplet
{
    private readonly ParserInstance[] _instances;
    private readonly RunStatus[] _status;
    private readonly FaultInjector? _faults;
    private int _scrubBlock;

    private ParserTriplet(VotingMode mode, ParserInstance[] instances, FaultInjector? faults)
    {
        Mode = mode;
        _instances = instances;
        _status = new RunStatus[instances.Length];
        _faults = faults;
        Statistics = new TripletStatistics(instances.Length);
    }

    /// <summary>Blocks compared per frame beyond the dirty ones: the whole of a 64 KiB memory every 16 frames.</summary>
    public const int ScrubBlocks = 4;

    public VotingMode Mode { get; }

    public TripletStatistics Statistics { get; }

    /// <summary>The instances, for inspection by tests and the console.</summary>
    public IReadOnlyList<ParserInstance> Instances => _instances;

    /// <exception cref="ParserConfigurationException">The guest refused the tag map or lacks the world's exports.</exception>
    public static ParserTriplet Create(ParserModule module, VotingMode mode, IReadOnlyList<ParserTag> tags, FaultInjector? faults = null)
    {
        var instances = new ParserInstance[Voter.InstanceCount(mode)];
        for (int i = 0; i < instances.Length; i++)
        {
            instances[i] = ParserInstance.Create(module, tags);
        }

        return new ParserTriplet(mode, instances, faults);
    }

    /// <summary>Decodes one response ADU in every instance and votes.</summary>
    public VoteResult Decode(in ParserRequest request, ReadOnlySpan<byte> adu)
    {
        FaultKind fault = FaultKind.None;
        int faultInstance = -1;
        if (_faults is not null)
        {
            long memoryBits = (long)(_instances[0].Instance.Memory?.Length ?? 0) * 8;
            fault = _faults.Next(_instances.Length, memoryBits, out faultInstance, out long bit);
            if (fault == FaultKind.BitFlip && memoryBits > 0)
            {
                // A tracked write: the block becomes dirty, so the memory check compares it and a reset restores it.
                Wasm.Memory memory = _instances[faultInstance].Instance.Memory!;
                if (bit < (long)memory.Length * 8)
                {
                    memory.GetWritableSpan((uint)(bit >> 3), 1)[0] ^= (byte)(1 << (int)(bit & 7));
                }
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
            if ((dissenters & (1 << i)) != 0 && Done(i))
            {
                Statistics.Instances[i].Dissents++;
            }
        }

        bool resetAll = dissenters != 0 || (verdict == Verdict.Unanimous && MemoriesDiverge());
        if (resetAll)
        {
            ResetAll();
        }

        return new VoteResult(verdict, winner >= 0 ? _instances[winner].LastOutcome : default, dissenters, fault, faultInstance);
    }

    /// <summary>
    /// Resets every instance to its configured checkpoint, its whole memory and not only the blocks it dirtied: a
    /// fault may lie where no writer recorded it.
    /// </summary>
    public void ResetAll()
    {
        for (int i = 0; i < _instances.Length; i++)
        {
            long start = Stopwatch.GetTimestamp();
            _instances[i].Instance.Memory?.MarkAllDirty();
            _instances[i].Reset();
            Statistics.RecordReset(start, Stopwatch.GetTimestamp());
            Statistics.Instances[i].Resets++;
        }
    }

    private bool Done(int instance) => instance < _status.Length && _status[instance] == RunStatus.Completed;

    /// <summary>True when the instances' memories differ; counts the instance that differs from the others.</summary>
    private bool MemoriesDiverge()
    {
        if (_instances.Length == 1)
        {
            return false;
        }

        Wasm.Memory first = _instances[0].Instance.Memory!;
        Wasm.Memory second = _instances[1].Instance.Memory!;
        Wasm.Memory? third = _instances.Length == 3 ? _instances[2].Instance.Memory! : null;
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
