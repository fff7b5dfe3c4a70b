using Appliance.Sandbox.Conformance;
using Appliance.Testing;
using Appliance.Wasm.Conformance;
using Appliance.Wasm.Tests;

namespace Appliance.Sandbox.Tests;

/// <summary>
/// The WebAssembly 2.0 spec suite (without SIMD) through Wasmtime, configured as the parser lanes run it, by the same
/// runner that checks our interpreter: one row per script.
/// </summary>
public sealed class WasmtimeSpecSuiteTests
{
    public static TheoryData<string> Scripts() => SpecScripts.Rows();

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
