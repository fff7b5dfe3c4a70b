using System.Text.Json.Nodes;
using Appliance.Config.Toml;

namespace Appliance.Config.Tests.Toml;

/// <summary>
/// The toml-test TOML 1.0.0 cases (shared/conformance/toml-test, see its MANIFEST.md), one test per file:
/// every valid case must decode to its tagged JSON, and every invalid case must be rejected with a
/// <see cref="TomlException"/> (any other exception is a crash, and fails).
/// </summary>
public sealed class TomlTestSuiteTests
{
    public static TheoryData<string> ValidCases => ConformanceSuite.Cases("valid");

    public static TheoryData<string> InvalidCases => ConformanceSuite.Cases("invalid");

    [Theory]
    [MemberData(nameof(ValidCases))]
    public void ValidCaseDecodesToTheExpectedTaggedJson(string relativePath)
    {
        string path = ConformanceSuite.PathOf(relativePath);
        byte[] toml = File.ReadAllBytes(path);
        JsonNode? expected = JsonNode.Parse(File.ReadAllText(Path.ChangeExtension(path, ".json")));

        TomlTable document = TomlParser.Parse(toml);

        JsonNode actual = TaggedJson.Encode(document);
        string? difference = TaggedJson.Difference(expected, actual);
        Assert.True(difference is null, $"{relativePath}: {difference}\nactual: {actual.ToJsonString()}");
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void InvalidCaseIsRejected(string relativePath)
    {
        byte[] toml = File.ReadAllBytes(ConformanceSuite.PathOf(relativePath));

        var error = Record.Exception(() => TomlParser.Parse(toml));

        Assert.True(error is not null, $"{relativePath} was accepted, but it is not valid TOML 1.0.0");
        Assert.IsType<TomlException>(error);
    }
}
