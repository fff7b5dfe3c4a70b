using Appliance.Testing;

namespace Appliance.Fuzz;

/// <summary>Seed inputs: the spec suite's modules and the toml-test cases, read from the shared conformance folder.</summary>
public static class Corpus
{
    public static IReadOnlyList<byte[]> WasmModules(int maximum = int.MaxValue) =>
        Load(Repository.ConformanceSuite("wasm-spec"), "*.wasm", maximum);

    public static IReadOnlyList<byte[]> TomlDocuments(int maximum = int.MaxValue) =>
        Load(Repository.ConformanceSuite("toml-test"), "*.toml", maximum);

    private static byte[][] Load(string directory, string pattern, int maximum)
    {
        return [.. Directory.EnumerateFiles(directory, pattern, SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Take(maximum)
            .Select(File.ReadAllBytes)];
    }
}
