using Appliance.Fuzz;

namespace Appliance.Sandbox.Tests;

/// <summary>The response-ADU fuzz target on its corpus and on mutations of it, as CI runs it, for both parser guests (the long mode is tests/fuzz/run adu).</summary>
public sealed class AduFuzzSmokeTests
{
    [Theory]
    [InlineData(Guest.RustName)]
    [InlineData(Guest.CName)]
    public void TwentyThousandMutatedResponsesVoteUnanimouslyAndIdenticallyInTwoTriplets(string guest)
    {
        var target = new AduTarget(AduTarget.Guest(guest));
        IReadOnlyList<byte[]> corpus = AduTarget.Corpus();
        var mutator = new Mutator(5);
        var picker = new Random(5);
        var outcomes = new Dictionary<string, int>();

        foreach (byte[] seed in corpus)
        {
            outcomes[target.Fuzz(seed)] = outcomes.GetValueOrDefault(target.Fuzz(seed)) + 1;
        }

        for (int i = 0; i < 20_000; i++)
        {
            string outcome = target.Fuzz(mutator.Mutate(corpus[picker.Next(corpus.Count)]));
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        Assert.True(outcomes.GetValueOrDefault("ok") > 500, "too few inputs decoded: the mutations no longer reach the tag decoder");
        Assert.True(outcomes.Count >= 8, $"too few distinct outcomes: {string.Join(", ", outcomes.Keys)}");
    }
}
