using Appliance.Fuzz;

namespace Appliance.Wasm.Tests;

/// <summary>
/// The fuzz targets on a corpus, as CI runs them: every spec-suite module as is, then mutated and truncated.
/// Nothing may escape but the engine's own refusals and traps, and no input may allocate beyond the limits.
/// The long mode is tests/fuzz/run.
/// </summary>
public sealed class FuzzSmokeTests
{
    /// <summary>Most bytes one input may allocate: the largest memory a fuzzed module may have, plus tables and slack.</summary>
    private const long AllocationBound = (64L * 65_536) + (10_000 * 8) + (8L << 20);

    [Fact]
    public void EverySpecModuleGoesThroughTheTargetWithoutAFinding()
    {
        IReadOnlyList<byte[]> corpus = Corpus.WasmModules();
        var outcomes = new Dictionary<WasmModuleTarget.Outcome, int>();

        foreach (byte[] module in corpus)
        {
            WasmModuleTarget.Outcome outcome = RunBounded(module);
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        Assert.True(corpus.Count > 3_000, $"the corpus has only {corpus.Count} modules");
        Assert.True(outcomes.GetValueOrDefault(WasmModuleTarget.Outcome.Ran) > 1_000, "too few modules ran: the target is not reaching the interpreter");
        Assert.True(outcomes.GetValueOrDefault(WasmModuleTarget.Outcome.Refused) > 1_000, "too few modules were refused");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void TwentyThousandMutatedModulesCauseNoFinding(int seed)
    {
        IReadOnlyList<byte[]> corpus = Corpus.WasmModules();
        var mutator = new Mutator(seed);
        var picker = new Random(seed);

        for (int i = 0; i < 20_000; i++)
        {
            byte[] input = mutator.Mutate(corpus[picker.Next(corpus.Count)]);
            RunBounded(input);
        }
    }

    [Fact]
    public void TruncatingAValidModuleAtEveryByteIsRefusedCleanlyExceptAtSectionEnds()
    {
        byte[] module = Corpus.WasmModules().OrderByDescending(bytes => bytes.Length).First(bytes => bytes.Length < 4_000);
        int refused = 0;

        for (int length = 0; length < module.Length; length++)
        {
            refused += WasmModuleTarget.Fuzz(module.AsSpan(0, length)) == WasmModuleTarget.Outcome.Refused ? 1 : 0;
        }

        // Only a prefix that ends exactly between sections (at most one per section) can be a valid module.
        Assert.True(refused >= module.Length - 13, $"{module.Length - refused} of {module.Length} prefixes were accepted");
    }

    [Fact]
    public void TenThousandMutatedConfigurationFilesCauseNoFinding()
    {
        IReadOnlyList<byte[]> corpus = Corpus.TomlDocuments();
        var mutator = new Mutator(11);
        var picker = new Random(11);

        for (int i = 0; i < 10_000; i++)
        {
            TomlTarget.Fuzz(mutator.Mutate(corpus[picker.Next(corpus.Count)]));
        }
    }

    private static WasmModuleTarget.Outcome RunBounded(byte[] input)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        WasmModuleTarget.Outcome outcome = WasmModuleTarget.Fuzz(input);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < AllocationBound + (input.Length * 64L), $"one input of {input.Length} bytes allocated {allocated} bytes");
        return outcome;
    }
}
