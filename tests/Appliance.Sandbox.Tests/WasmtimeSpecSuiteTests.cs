using Appliance.Sandbox.Conformance;
using Appliance.Testing;
using Appliance.Wasm.Conformance;

namespace Appliance.Sandbox.Tests;

/// <summary>
/// The WebAssembly 2.0 spec suite (without SIMD) through Wasmtime, configured as the parser lanes run it, by the same
/// runner that checks our interpreter: one row per script.
/// </summary>
public sealed class WasmtimeSpecSuiteTests
{
    private const string MissingRow = "(the spec suite is missing)";

    public static TheoryData<string> Scripts()
    {
        var rows = new TheoryData<string>();
        string suite = Path.Combine(Repository.Conformance, "wasm-spec");
        if (!Directory.Exists(suite))
        {
            rows.Add(MissingRow); // one row that fails with the reason
            return rows;
        }

        foreach (string script in SpecTestRunner.FindScripts(suite))
        {
            rows.Add(Path.GetRelativePath(suite, script));
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void EveryCommandOfTheScriptPassesInWasmtime(string script)
    {
        string path = Path.Combine(Repository.ConformanceSuite("wasm-spec"), script);

        SpecTestResult result = SpecTestRunner.RunFile(path, directory => new WasmtimeSpecTarget(directory));

        Assert.True(result.Failed == 0, $"{result.Failed} failed:\n{string.Join('\n', result.Failures.Take(20))}");
        Assert.True(result.Passed + result.Skipped > 0, "no command ran");
    }
}
