using System.Text.Json.Nodes;
using Appliance.Config.Document;

namespace Appliance.Config.Tests.Toml;

/// <summary>
/// The toml-test TOML 1.0.0 cases (shared/conformance/toml-test, see its MANIFEST.md), one test per file, read
/// exactly as the configuration reads a file (<see cref="DocumentReader"/>: Tomlyn and the layer in front of it):
/// every valid case must decode to its tagged JSON, and every invalid case must be refused with positioned
/// problems, except the cases TOML 1.1 made valid (<see cref="ValidSinceToml11"/>). An exception is a crash, and fails.
/// </summary>
public sealed class TomlTestSuiteTests
{
    /// <summary>
    /// The invalid TOML 1.0.0 cases that are valid TOML 1.1.0, with the rule of the 1.1.0 changelog
    /// (toml-lang/toml CHANGELOG.md, "1.1.0 / 2025-12-18") that allows each. Tomlyn implements TOML 1.1, so
    /// these are accepted; every other invalid case must be refused.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> ValidSinceToml11 = new Dictionary<string, string>
    {
        ["invalid/datetime/no-secs.toml"] = "seconds in datetime and time values are optional (#894): 1987-07-05T17:45Z",
        ["invalid/local-datetime/no-secs.toml"] = "seconds in datetime and time values are optional (#894): 1987-07-05T17:45",
        ["invalid/local-time/no-secs.toml"] = "seconds in datetime and time values are optional (#894): 17:45",
        ["invalid/string/basic-byte-escapes.toml"] = "\\xHH escapes in basic strings for code points up to 255 (#796): \"\\x33\"",
        ["invalid/inline-table/trailing-comma.toml"] = "newlines and trailing commas in inline tables (#904): a trailing comma",
        ["invalid/inline-table/linebreak-01.toml"] = "newlines and trailing commas in inline tables (#904): a newline before the closing brace",
        ["invalid/inline-table/linebreak-02.toml"] = "newlines and trailing commas in inline tables (#904): a newline after a comma",
        ["invalid/inline-table/linebreak-03.toml"] = "newlines and trailing commas in inline tables (#904): a newline before a comma",
        ["invalid/inline-table/linebreak-04.toml"] = "newlines and trailing commas in inline tables (#904): an inline table over several lines",
    };

    public static TheoryData<string> ValidCases => ConformanceSuite.Cases("valid");

    public static TheoryData<string> InvalidCases => ConformanceSuite.Cases("invalid");

    [Theory]
    [MemberData(nameof(ValidCases))]
    public void ValidCaseDecodesToTheExpectedTaggedJson(string relativePath)
    {
        string path = ConformanceSuite.PathOf(relativePath);
        byte[] toml = File.ReadAllBytes(path);
        JsonNode? expected = JsonNode.Parse(File.ReadAllText(Path.ChangeExtension(path, ".json")));

        bool read = DocumentReader.TryRead(toml, relativePath, out DocumentTable? document, out IReadOnlyList<ConfigDiagnostic> problems);

        Assert.True(read, $"{relativePath} was refused:\n{string.Join('\n', problems)}");
        Assert.NotNull(document);
        JsonNode actual = TaggedJson.Encode(document);
        string? difference = TaggedJson.Difference(expected, actual);
        Assert.True(difference is null, $"{relativePath}: {difference}\nactual: {actual.ToJsonString()}");
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void InvalidCaseIsRefusedUnlessToml11AllowsIt(string relativePath)
    {
        byte[] toml = File.ReadAllBytes(ConformanceSuite.PathOf(relativePath));

        bool read = DocumentReader.TryRead(toml, relativePath, out _, out IReadOnlyList<ConfigDiagnostic> problems);

        if (ValidSinceToml11.TryGetValue(relativePath, out string? rule))
        {
            Assert.True(read, $"{relativePath} is valid TOML 1.1 ({rule}) but was refused:\n{string.Join('\n', problems)}");
            return;
        }

        Assert.False(read, $"{relativePath} was accepted, but it is not valid TOML 1.0.0 or 1.1.0");
        Assert.NotEmpty(problems);
        Assert.All(problems, problem => Assert.True(problem.Line >= 1 && problem.Column >= 1 && problem.Message.Length > 0, problem.ToString()));
    }

    [Fact]
    public void EveryToml11ExceptionIsACaseOfTheSuite()
    {
        Assert.All(ValidSinceToml11.Keys, relativePath => Assert.True(File.Exists(ConformanceSuite.PathOf(relativePath)), $"{relativePath} is not in the suite"));
    }
}
