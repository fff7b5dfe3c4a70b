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

    /// <summary>The Raspberry Pi 4 build, <c>out/linux-arm64/appliance</c> from <c>RID=linux-arm64 scripts/publish</c> (APPLIANCE_BIN_ARM64 overrides).</summary>
    public static string PublishedArm64Binary =>
        Environment.GetEnvironmentVariable("APPLIANCE_BIN_ARM64") is { Length: > 0 } overridden
            ? overridden
            : Path.Combine(Root, "out", "linux-arm64", "appliance");

    /// <summary>
    /// The folder of one conformance suite ("wasm-spec", "toml-test") under <see cref="Conformance"/>; when it is missing,
    /// throws one clear message: what is missing, where it comes from, how to provide it.
    /// </summary>
    public static string ConformanceSuite(string name)
    {
        string path = Path.GetFullPath(Path.Combine(Conformance, name));
        if (!Directory.Exists(path))
        {
            throw new DirectoryNotFoundException(
                $"the conformance suite \"{name}\" is missing: {path} does not exist. The third-party suites (the WebAssembly "
                + "spec tests as wast2json output, toml-test) are not part of this repository: the tests read them, read-only, from "
                + "../shared/conformance beside the clone, where CI provides them. Put that folder there, or set APPLIANCE_CONFORMANCE "
                + "to the folder that holds wasm-spec and toml-test.");
        }

        return path;
    }

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
