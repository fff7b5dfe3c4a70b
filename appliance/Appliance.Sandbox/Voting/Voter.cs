namespace Appliance.Sandbox.Voting;

/// <summary>
/// The vote over the canonical outcomes of one frame, compared byte for byte. An instance that trapped or whose
/// result could not be lifted abstains (its outcome is null).
/// <list type="bullet">
/// <item>2oo3: two equal outcomes win; the third instance, if different or abstaining, dissents.</item>
/// <item>1oo2 (hot standby): equal outcomes win; if one abstains the other carries the frame; two different outcomes split.</item>
/// <item>1oo1: the one outcome, or a split when it abstains.</item>
/// </list>
/// </summary>
public static class Voter
{
    /// <summary>Votes; <paramref name="winner"/> is an instance holding the winning outcome (-1 on a split), <paramref name="dissenters"/> a bit per instance that did not agree.</summary>
    public static Verdict Vote(VotingMode mode, ReadOnlySpan<byte> a, bool aDone, ReadOnlySpan<byte> b, bool bDone, ReadOnlySpan<byte> c, bool cDone, out int winner, out int dissenters)
    {
        switch (mode)
        {
            case VotingMode.OneOutOfOne:
                winner = aDone ? 0 : -1;
                dissenters = aDone ? 0 : 1;
                return aDone ? Verdict.Unanimous : Verdict.Split;

            case VotingMode.OneOutOfTwo:
                if (aDone && bDone)
                {
                    bool same = a.SequenceEqual(b);
                    winner = same ? 0 : -1;
                    dissenters = same ? 0 : 0b11;
                    return same ? Verdict.Unanimous : Verdict.Split;
                }

                winner = aDone ? 0 : bDone ? 1 : -1;
                dissenters = aDone ? 0b10 : bDone ? 0b01 : 0b11;
                return winner < 0 ? Verdict.Split : Verdict.Majority;

            default:
                bool ab = aDone && bDone && a.SequenceEqual(b);
                bool ac = aDone && cDone && a.SequenceEqual(c);
                if (ab && ac)
                {
                    winner = 0;
                    dissenters = 0;
                    return Verdict.Unanimous;
                }

                if (ab || ac)
                {
                    winner = 0;
                    dissenters = ab ? 0b100 : 0b010;
                    return Verdict.Majority;
                }

                if (bDone && cDone && b.SequenceEqual(c))
                {
                    winner = 1;
                    dissenters = 0b001;
                    return Verdict.Majority;
                }

                winner = -1;
                dissenters = 0b111;
                return Verdict.Split;
        }
    }

    /// <summary>Instances a mode runs.</summary>
    public static int InstanceCount(VotingMode mode) => mode switch
    {
        VotingMode.OneOutOfOne => 1,
        VotingMode.OneOutOfTwo => 2,
        _ => 3,
    };
}
