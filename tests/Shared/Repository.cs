namespace Appliance.Testing;

/// <summary>Where the tests find the repository, the shared conformance suites and the published product.</summary>
internal static class Repository
{
    /// <summary>The repository root: the nearest folder above the test binaries that holds Directory.Packages.props.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The read-only third-party suites, <c>../shared/conformance</c> beside the clone (APPLIANCE_CONFORMANCE overrides).</summary>
    public static string Conformance =>
        Environment.GetEnvironmentVariable("APPLIANCE_CONFORMANCE") is { Length: > 0 } overridden
            ? overridden
            : Path.GetFullPath(Path.Combine(Root, "..", "shared", "conformance"));

    /// <summary>The NativeAOT executable made by scripts/publish (APPLIANCE_BIN overrides).</summary>
    public static string PublishedBinary =>
        Environment.GetEnvironmentVariable("APPLIANCE_BIN") is { Length: > 0 } overridden
            ? overridden
            : Path.Combine(Root, "out", "linux-x64", "appliance");

    private static string FindRoot()
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "Directory.Packages.props")))
            {
                return dir;
            }
        }

        throw new InvalidOperationException($"no Directory.Packages.props above {AppContext.BaseDirectory}: the tests must run from inside the repository");
    }
}
