using Appliance.Testing;
using Appliance.Wasm.Conformance;

namespace Appliance.Wasm.Tests;

/// <summary>
/// Differential testing against V8: random modules from binaryen's <c>wasm-opt -ttf</c> (seeds 0 to 299, the
/// same modules as <c>tests/differential/run 300</c>), run through <see cref="FuzzExec"/> in-process and
/// through Node with <c>tests/differential/run-v8.mjs</c>; the transcripts must agree. One row per batch of
/// 50 seeds. The long mode is <c>tests/differential/run COUNT</c>.
/// </summary>
public sealed class DifferentialTests : IDisposable
{
    private const int BatchSize = 50;

    /// <summary>WebAssembly 2.0 without SIMD; see tests/differential/run for why reference types go with every fourth seed and why --denan.</summary>
    private static readonly string[] Features =
        ["-mvp", "--enable-mutable-globals", "--enable-sign-ext", "--enable-nontrapping-float-to-int", "--enable-bulk-memory", "--enable-multivalue"];

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "differential-" + Guid.NewGuid().ToString("N"));

    public DifferentialTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(0)]
    [InlineData(50)]
    [InlineData(100)]
    [InlineData(150)]
    [InlineData(200)]
    [InlineData(250)]
    public async Task RandomModulesFromTheseSeedsBehaveAsInV8(int firstSeed)
    {
        await RequireToolAsync("wasm-opt", "--version");
        await RequireToolAsync("node", "--version");

        var ours = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int seed = firstSeed; seed < firstSeed + BatchSize; seed++)
        {
            string input = Path.Combine(_directory, $"{seed}.dat");
            string module = Path.Combine(_directory, $"{seed}.wasm");
            await File.WriteAllBytesAsync(input, InputBytes((ulong)seed));
            string[] extra = seed % 4 == 3 ? ["--enable-reference-types"] : [];
            (int code, _, string stderr) = await ChildProcess.RunAsync("wasm-opt", [input, "-ttf", .. Features, .. extra, "--denan", "-q", "-o", module]);
            Assert.True(code == 0, $"wasm-opt failed on seed {seed}: {stderr}");
            ours[$"{seed}.wasm"] = FuzzExec.Run(await File.ReadAllBytesAsync(module));
        }

        string script = Path.Combine(Repository.Root, "tests", "differential", "run-v8.mjs");
        (int nodeCode, string stdout, string nodeErrors) = await ChildProcess.RunAsync("node", [script, .. ours.Keys.Select(name => Path.Combine(_directory, name))]);
        Assert.True(nodeCode == 0, $"node {script} failed: {nodeErrors}");
        Dictionary<string, string> theirs = SplitBatch(stdout);

        var divergences = new List<string>();
        int executed = 0;
        foreach ((string name, string transcript) in ours)
        {
            FuzzExecComparison comparison = theirs.TryGetValue(name, out string? v8)
                ? FuzzExec.Compare(transcript, v8)
                : new FuzzExecComparison(FuzzExecVerdict.Divergent, "no transcript from V8");
            if (comparison.Verdict == FuzzExecVerdict.Divergent)
            {
                divergences.Add($"seed {Path.GetFileNameWithoutExtension(name)}: {comparison.Detail}");
            }

            executed += transcript.StartsWith("call ", StringComparison.Ordinal) ? 1 : 0;
        }

        Assert.True(divergences.Count == 0, $"our engine and V8 disagree (reproduce with tests/differential/run 1 SEED):\n{string.Join('\n', divergences)}");
        Assert.True(executed >= BatchSize / 2, $"only {executed} of {BatchSize} modules ran any export; the generator is not making what it should");
    }

    /// <summary>The bytes of one seed, exactly as tests/differential/inputs.mjs makes them (SplitMix64).</summary>
    private static byte[] InputBytes(ulong seed)
    {
        ulong state = seed;
        ulong Next()
        {
            state += 0x9E3779B97F4A7C15UL;
            ulong z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        byte[] bytes = new byte[512 + (int)(Next() % 8192)];
        for (int at = 0; at < bytes.Length; at += 8)
        {
            ulong value = Next();
            for (int i = 0; i < 8 && at + i < bytes.Length; i++)
            {
                bytes[at + i] = (byte)(value >> (8 * i));
            }
        }

        return bytes;
    }

    /// <summary>Splits run-v8.mjs's output at its <c>== FILE</c> lines into transcripts by file name.</summary>
    private static Dictionary<string, string> SplitBatch(string output)
    {
        var transcripts = new Dictionary<string, string>(StringComparer.Ordinal);
        string? file = null;
        var transcript = new System.Text.StringBuilder();
        foreach (string line in output.Split('\n'))
        {
            if (line.StartsWith("== ", StringComparison.Ordinal) || line.Length == 0)
            {
                if (file is not null)
                {
                    transcripts[file] = transcript.ToString();
                }

                file = line.Length == 0 ? null : Path.GetFileName(line[3..]);
                transcript.Clear();
            }
            else
            {
                transcript.Append(line).Append('\n');
            }
        }

        return transcripts;
    }

    private static async Task RequireToolAsync(string tool, string versionFlag)
    {
        try
        {
            (int code, _, _) = await ChildProcess.RunAsync(tool, versionFlag);
            Assert.True(code == 0, $"{tool} {versionFlag} failed; run scripts/setup to install it");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Fail($"{tool} is not installed; run scripts/setup (it installs binaryen and Node.js)");
        }
    }
}
