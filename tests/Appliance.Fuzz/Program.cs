using System.Diagnostics;
using System.Globalization;
using Appliance.Fuzz;

// Long mode: mutate the corpus for as many iterations as asked and feed every input to a target.
// Any exception other than the parsers' own refusals ends the run with the seed and iteration to replay.
// "parsers" is the differential of the two parser guests in both engines on generated cases (ParserDifferentialTarget).
string target = args.Length > 0 ? args[0] : "wasm";
long iterations = OptionValue("--iterations", 100_000);
int seed = (int)OptionValue("--seed", 1);

if (target == "parsers")
{
    return Parsers();
}

IReadOnlyList<byte[]> corpus = target switch
{
    "wasm" => Corpus.WasmModules(),
    "toml" => Corpus.TomlDocuments(),
    "adu" => AduTarget.Corpus(),
    _ => throw new ArgumentException($"unknown target \"{target}\"; use wasm, toml, adu or parsers"),
};
AduTarget? adu = target == "adu" ? new AduTarget(AduTarget.Guest()) : null;

var mutator = new Mutator(seed);
var picker = new Random(seed);
var counts = new Dictionary<string, long>();
var clock = Stopwatch.StartNew();
for (long i = 0; i < iterations; i++)
{
    byte[] input = mutator.Mutate(corpus[picker.Next(corpus.Count)]);
    string outcome;
    try
    {
        outcome = target switch
        {
            "wasm" => WasmModuleTarget.Fuzz(input).ToString(),
            "adu" => adu!.Fuzz(input),
            _ => TomlTarget.Fuzz(input) ? "valid" : "rejected",
        };
    }
    catch (Exception finding)
    {
        string file = Path.Combine(Path.GetTempPath(), $"fuzz-{target}-{seed}-{i}.bin");
        File.WriteAllBytes(file, input);
        Console.Error.WriteLine($"FINDING at iteration {i} (seed {seed}), input saved to {file}:\n{finding}");
        return 1;
    }

    counts[outcome] = counts.GetValueOrDefault(outcome) + 1;
}

Console.WriteLine($"{target}: {iterations} inputs in {clock.Elapsed.TotalSeconds:F1} s, no findings; "
    + string.Join(", ", counts.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key} {pair.Value}")));
return 0;

// The differential runs in slices of 10,000 cases, each with its own seed (seed × 1,000,000 + slice), so that a
// finding is replayed by its slice alone: tests/fuzz/run parsers 10000 SEED_OF_THE_SLICE.
int Parsers()
{
    using var differential = ParserDifferentialTarget.FromEmbeddedGuests();
    var totals = new SortedDictionary<string, long>(StringComparer.Ordinal);
    const long Slice = 10_000;
    var stopwatch = Stopwatch.StartNew();
    for (long done = 0, slice = 0; done < iterations; done += Slice, slice++)
    {
        int sliceSeed = iterations <= Slice ? seed : checked((seed * 1_000_000) + (int)slice);
        try
        {
            foreach ((string outcome, long count) in differential.Run(sliceSeed, Math.Min(Slice, iterations - done)))
            {
                totals[outcome] = totals.GetValueOrDefault(outcome) + count;
            }
        }
        catch (ParserDisagreementException finding)
        {
            Console.Error.WriteLine($"FINDING in the slice with seed {sliceSeed} (replay: tests/fuzz/run parsers {Math.Min(Slice, iterations - done)} {sliceSeed}):\n{finding.Message}");
            return 1;
        }
    }

    Console.WriteLine($"parsers: {iterations} decodes compared (both guests in both engines: four lanes) in {stopwatch.Elapsed.TotalSeconds:F1} s, no disagreement; "
        + string.Join(", ", totals.Select(pair => $"{pair.Key} {pair.Value}")));
    return 0;
}

long OptionValue(string name, long fallback)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? long.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}
