using Appliance.Testing;

namespace Appliance.Tests;

/// <summary>Runs the published NativeAOT binary, the product itself.</summary>
internal static class Product
{
    public static string Binary
    {
        get
        {
            string path = Repository.PublishedBinary;
            Assert.True(File.Exists(path), $"the published binary {path} is missing: run scripts/publish first (scripts/test does), or set APPLIANCE_BIN");
            return path;
        }
    }

    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments) =>
        ChildProcess.RunAsync(Binary, arguments);
}
