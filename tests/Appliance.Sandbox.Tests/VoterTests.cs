using Appliance.Sandbox.Voting;

namespace Appliance.Sandbox.Tests;

/// <summary>The vote itself, on every combination that matters.</summary>
public sealed class VoterTests
{
    private static readonly byte[] A = [0, 1, 0, 0, 0];
    private static readonly byte[] B = [0, 2, 0, 0, 0];
    private static readonly byte[] C = [0, 3, 0, 0, 0];

    [Theory]
    [InlineData("AAA", Verdict.Unanimous, 0, 0b000)]
    [InlineData("AAB", Verdict.Majority, 0, 0b100)]
    [InlineData("ABA", Verdict.Majority, 0, 0b010)]
    [InlineData("BAA", Verdict.Majority, 1, 0b001)]
    [InlineData("AA-", Verdict.Majority, 0, 0b100)]
    [InlineData("-AA", Verdict.Majority, 1, 0b001)]
    [InlineData("A-A", Verdict.Majority, 0, 0b010)]
    [InlineData("ABC", Verdict.Split, -1, 0b111)]
    [InlineData("A--", Verdict.Split, -1, 0b111)]
    [InlineData("---", Verdict.Split, -1, 0b111)]
    [InlineData("AB-", Verdict.Split, -1, 0b111)]
    public void TwoOutOfThree(string outcomes, Verdict verdict, int winner, int dissenters) =>
        Check(VotingMode.TwoOutOfThree, outcomes, verdict, winner, dissenters);

    [Theory]
    [InlineData("AA", Verdict.Unanimous, 0, 0b00)]
    [InlineData("AB", Verdict.Split, -1, 0b11)]
    [InlineData("A-", Verdict.Majority, 0, 0b10)]
    [InlineData("-A", Verdict.Majority, 1, 0b01)]
    [InlineData("--", Verdict.Split, -1, 0b11)]
    public void OneOutOfTwoIsAHotStandby(string outcomes, Verdict verdict, int winner, int dissenters) =>
        Check(VotingMode.OneOutOfTwo, outcomes, verdict, winner, dissenters);

    [Theory]
    [InlineData("A", Verdict.Unanimous, 0, 0)]
    [InlineData("-", Verdict.Split, -1, 1)]
    public void OneOutOfOneTakesItsOnlyInstance(string outcomes, Verdict verdict, int winner, int dissenters) =>
        Check(VotingMode.OneOutOfOne, outcomes, verdict, winner, dissenters);

    [Fact]
    public void OutcomesThatDifferOnlyInTheirLastByteDoNotAgree()
    {
        byte[] x = [0, 1, 0, 0, 0, 7];
        byte[] y = [0, 1, 0, 0, 0, 8];

        Assert.Equal(Verdict.Majority, Voter.Vote(VotingMode.TwoOutOfThree, x, true, y, true, x, true, out _, out int dissenters));
        Assert.Equal(0b010, dissenters);
    }

    private static void Check(VotingMode mode, string outcomes, Verdict verdict, int winner, int dissenters)
    {
        byte[] Pick(int i) => i < outcomes.Length ? outcomes[i] switch { 'A' => A, 'B' => B, 'C' => C, _ => [] } : [];
        bool Done(int i) => i < outcomes.Length && outcomes[i] != '-';

        Verdict actual = Voter.Vote(mode, Pick(0), Done(0), Pick(1), Done(1), Pick(2), Done(2), out int actualWinner, out int actualDissenters);

        Assert.Equal((verdict, winner, dissenters), (actual, actualWinner, actualDissenters));
    }
}
