using Appliance.Testing;
using Appliance.Wasm.Conformance;

namespace Appliance.Wasm.Tests;

/// <summary>The WebAssembly 2.0 spec test suite (without SIMD), one test row per script, run in-process.</summary>
public sealed class SpecSuiteTests
{

    public static TheoryData<string> Scripts() => SpecScripts.Rows();

    [Theory]
    [MemberData(nameof(Scripts))]
    public void EveryCommandOfTheScriptPasses(string script)
    {
        string path = Path.Combine(Repository.ConformanceSuite("wasm-spec"), script);
        Assert.True(File.Exists(path), $"spec script {path} not found");

        SpecTestResult result = SpecTestRunner.RunFile(path);

        Assert.True(result.Failed == 0, $"{result.Failed} failed:\n{string.Join('\n', result.Failures)}");
        Assert.True(result.Passed + result.Skipped > 0, "no command ran");
    }
}
