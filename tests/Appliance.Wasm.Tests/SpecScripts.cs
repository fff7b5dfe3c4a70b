using Appliance.Testing;
using Appliance.Wasm.Conformance;

namespace Appliance.Wasm.Tests;

/// <summary>The spec suite's scripts as test rows, for every engine's suite test; one row that fails with the reason when the suite is missing.</summary>
internal static class SpecScripts
{
    public const string MissingRow = "(the spec suite is missing)";

    public static TheoryData<string> Rows()
    {
        var rows = new TheoryData<string>();
        string suite = Path.Combine(Repository.Conformance, "wasm-spec");
        if (!Directory.Exists(suite))
        {
            rows.Add(MissingRow);
            return rows;
        }

        foreach (string script in SpecTestRunner.FindScripts(suite))
        {
            rows.Add(Path.GetRelativePath(suite, script));
        }

        return rows;
    }
}
