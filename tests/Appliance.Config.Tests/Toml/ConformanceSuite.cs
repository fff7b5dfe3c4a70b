using Appliance.Testing;

namespace Appliance.Config.Tests.Toml;

/// <summary>
/// Finds the toml-test cases in the shared conformance folder (<see cref="Repository.Conformance"/>).
/// A missing suite is a failure, never a skip.
/// </summary>
internal static class ConformanceSuite
{
    private const string MissingRow = "(toml-test suite not found)";

    /// <summary>The suite folder; throws with what was tried and how to fix it when it is missing.</summary>
    public static string Folder()
    {
        string suite = Repository.ConformanceSuite("toml-test");
        if (!Directory.Exists(Path.Combine(suite, "valid")) || !Directory.Exists(Path.Combine(suite, "invalid")))
        {
            throw new DirectoryNotFoundException(
                $"the toml-test conformance suite at {suite} must hold valid/ and invalid/; it comes from ../shared/conformance beside the clone (APPLIANCE_CONFORMANCE overrides)");
        }

        return suite;
    }

    /// <summary>
    /// One row per <c>.toml</c> file under <paramref name="set"/> (valid or invalid), as a path relative to the
    /// suite with '/' separators. When the suite is missing there is one row that fails with the reason.
    /// </summary>
    public static TheoryData<string> Cases(string set)
    {
        var rows = new TheoryData<string>();
        string suite;
        try
        {
            suite = Folder();
        }
        catch (DirectoryNotFoundException)
        {
            rows.Add(MissingRow);
            return rows;
        }

        IEnumerable<string> files = Directory
            .EnumerateFiles(Path.Combine(suite, set), "*.toml", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(suite, file).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal);
        foreach (string file in files)
        {
            rows.Add(file);
        }

        return rows;
    }

    /// <summary>The full path of a case; fails the test with the reason when the suite is missing.</summary>
    public static string PathOf(string relativePath) => Path.Combine(Folder(), relativePath);
}
